using Sluice.DuckDb.Native;

namespace Sluice.DuckDb;

/// <summary>
/// Opens databases. A file is opened once per process and shared by every connection to it,
/// because DuckDB allows a single writing process per file and data written by one connection
/// must be seen by the others. The shared handle is counted: the file closes (and its lock is
/// released) when the last connection to it closes, and opening a file that is already open
/// costs one <c>duckdb_connect</c>. ":memory:" is private to each connection.
/// </summary>
internal static class DuckDbDatabase
{
    private static readonly Lazy<InstanceCacheHandle> Cache = new(NativeMethods.duckdb_create_instance_cache);
    private static readonly Lock Gate = new();
    private static readonly Dictionary<string, SharedFile> Files = new(StringComparer.Ordinal);

    public static string LibraryVersion => NativeMethods.duckdb_library_version();

    /// <summary>A connection's claim on a database; dispose it when the connection closes.</summary>
    public static Lease Open(DuckDbConnectionStringBuilder settings)
    {
        if (settings.IsInMemory)
        {
            return new Lease(OpenNew(settings, path: null), release: null);
        }

        var path = Path.GetFullPath(settings.DataSource);
        var options = string.Join(";", settings.ConfigOptions().OrderBy(o => o.Key, StringComparer.Ordinal).Select(o => $"{o.Key}={o.Value}"));
        lock (Gate)
        {
            if (Files.TryGetValue(path, out var shared))
            {
                if (shared.Options != options)
                {
                    throw new DuckDbException(
                        $"The DuckDB database '{path}' is already open in this process with other settings ({Describe(shared.Options)}); open it with the same settings ({Describe(options)} were asked for).",
                        DuckDbErrorType.Connection);
                }
            }
            else
            {
                shared = new SharedFile(OpenNew(settings, path), options);
                Files.Add(path, shared);
            }

            shared.Users++;
            return new Lease(shared.Handle, () => Release(path, shared));
        }
    }

    private static void Release(string path, SharedFile shared)
    {
        lock (Gate)
        {
            if (--shared.Users == 0)
            {
                Files.Remove(path);
                shared.Handle.Dispose();
            }
        }
    }

    private static DatabaseHandle OpenNew(DuckDbConnectionStringBuilder settings, string? path)
    {
        using var config = CreateConfig(settings);
        DatabaseHandle database;
        nint error;

        // The instance cache guards against a second instance of a file that something else in
        // the process (another binding, an ATTACH) already has open.
        var state = path is null
            ? NativeMethods.duckdb_open_ext(null, out database, config, out error)
            : NativeMethods.duckdb_get_or_create_from_cache(Cache.Value, path, out database, config, out error);

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
                    $"DuckDB does not accept the setting '{name}' or its value; check them in the connection string.",
                    DuckDbErrorType.InvalidConfiguration);
            }
        }

        return config;
    }

    /// <summary>Option names only: values may be tokens.</summary>
    private static string Describe(string options) => options.Length == 0
        ? "default settings"
        : string.Join(", ", options.Split(';').Select(o => o[..o.IndexOf('=', StringComparison.Ordinal)]));

    private sealed class SharedFile(DatabaseHandle handle, string options)
    {
        public DatabaseHandle Handle { get; } = handle;

        public string Options { get; } = options;

        public int Users { get; set; }
    }

    /// <summary>The database handle a connection uses, and how to give it back.</summary>
    internal sealed class Lease(DatabaseHandle handle, Action? release) : IDisposable
    {
        private int _disposed;

        public DatabaseHandle Handle { get; } = handle;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 1)
            {
                return;
            }

            if (release is null)
            {
                // A private (in-memory) database ends with its only connection.
                Handle.Dispose();
            }
            else
            {
                release();
            }
        }
    }
}
