using System.Data.Common;
using System.Globalization;

namespace Sluice.DuckDb;

/// <summary>
/// "Data Source=path" (or ":memory:"), plus any DuckDB configuration option by name:
/// "Threads=4;Memory Limit=2GB;Access Mode=READ_ONLY". Spaces in option names become underscores.
/// </summary>
public sealed class DuckDbConnectionStringBuilder : DbConnectionStringBuilder
{
    /// <summary>The path that opens a private in-memory database.</summary>
    public const string InMemory = ":memory:";

    private const string DataSourceKey = "Data Source";

    /// <summary>Creates an empty builder.</summary>
    public DuckDbConnectionStringBuilder()
    {
    }

    /// <summary>Parses a connection string.</summary>
    public DuckDbConnectionStringBuilder(string connectionString) => ConnectionString = connectionString;

    /// <summary>The database file, or ":memory:".</summary>
    public string DataSource
    {
        get => TryGetValue(DataSourceKey, out var value) ? Convert.ToString(value, CultureInfo.InvariantCulture) ?? InMemory
            : TryGetValue("DataSource", out value) ? Convert.ToString(value, CultureInfo.InvariantCulture) ?? InMemory
            : InMemory;
        set => this[DataSourceKey] = value;
    }

    /// <summary>DuckDB worker threads; unset means DuckDB's default (all cores).</summary>
    public int? Threads
    {
        get => TryGetValue("threads", out var value) ? Convert.ToInt32(value, CultureInfo.InvariantCulture) : null;
        set => SetOption("threads", value?.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>DuckDB memory limit such as "2GB".</summary>
    public string? MemoryLimit
    {
        get => TryGetValue("memory_limit", out var value) ? Convert.ToString(value, CultureInfo.InvariantCulture) : null;
        set => SetOption("memory_limit", value);
    }

    /// <summary>AUTOMATIC, READ_ONLY or READ_WRITE.</summary>
    public string? AccessMode
    {
        get => TryGetValue("access_mode", out var value) ? Convert.ToString(value, CultureInfo.InvariantCulture) : null;
        set => SetOption("access_mode", value);
    }

    /// <summary>True when the data source is a private in-memory database.</summary>
    public bool IsInMemory => string.IsNullOrEmpty(DataSource) || DataSource == InMemory;

    /// <summary>Configuration options to pass to DuckDB, with DuckDB's option names.</summary>
    public IEnumerable<KeyValuePair<string, string>> ConfigOptions()
    {
        foreach (string key in Keys)
        {
            if (key.Equals(DataSourceKey, StringComparison.OrdinalIgnoreCase) || key.Equals("DataSource", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var value = Convert.ToString(this[key], CultureInfo.InvariantCulture) ?? string.Empty;
            yield return new(key.Trim().Replace(' ', '_').ToLowerInvariant(), value);
        }
    }

    private void SetOption(string key, string? value)
    {
        if (value is null)
        {
            Remove(key);
        }
        else
        {
            this[key] = value;
        }
    }
}
