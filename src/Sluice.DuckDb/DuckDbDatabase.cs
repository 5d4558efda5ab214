using Sluice.DuckDb.Native;

namespace Sluice.DuckDb;

/// <summary>
/// Opens databases. A file is opened once per process and shared by every connection to it
/// (through DuckDB's instance cache, which closes it when the last handle goes), because DuckDB
/// allows a single writing process per file and data written by one connection must be seen by
/// the others. ":memory:" is private to each connection.
/// </summary>
internal static class DuckDbDatabase
{
    private static readonly Lazy<InstanceCacheHandle> Cache = new(NativeMethods.duckdb_create_instance_cache);

    public static string LibraryVersion => NativeMethods.duckdb_library_version();

    public static DatabaseHandle Open(DuckDbConnectionStringBuilder settings)
    {
        using var config = CreateConfig(settings);
        DuckDbState state;
        DatabaseHandle database;
        nint error;
        if (settings.IsInMemory)
        {
            state = NativeMethods.duckdb_open_ext(null, out database, config, out error);
        }
        else
        {
            var path = Path.GetFullPath(settings.DataSource);
            state = NativeMethods.duckdb_get_or_create_from_cache(Cache.Value, path, out database, config, out error);
        }

        var message = NativeMethods.TakeOwnedString(error);
        if (state != DuckDbState.Success)
        {
            database.Dispose();
            DuckDbException.Throw(
                $"Could not open DuckDB database '{settings.DataSource}': {message}",
                DuckDbException.Classify(message),
                $"Could not open DuckDB database '{settings.DataSource}'.");
        }

        return database;
    }

    private static ConfigHandle CreateConfig(DuckDbConnectionStringBuilder settings)
    {
        if (NativeMethods.duckdb_create_config(out var config) != DuckDbState.Success)
        {
            config.Dispose();
            throw new DuckDbException("DuckDB could not allocate a configuration.", DuckDbErrorType.OutOfMemory);
        }

        foreach (var (name, value) in settings.ConfigOptions())
        {
            if (NativeMethods.duckdb_set_config(config, name, value) != DuckDbState.Success)
            {
                config.Dispose();
                throw new DuckDbException(
                    $"DuckDB does not accept the setting {name}={value}; check the option name and value in the connection string.",
                    DuckDbErrorType.InvalidConfiguration);
            }
        }

        return config;
    }
}
