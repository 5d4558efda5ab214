namespace Sluice.Core.Sync;

/// <summary>One entry of the <c>sources:</c> section of sluice.yml.</summary>
/// <param name="Name">The source's name; its tables land in the warehouse as <c>raw.&lt;name&gt;__&lt;table&gt;</c>.</param>
/// <param name="Location">Where the entry is written, <c>sluice.yml:12:5</c>, for messages about it.</param>
public abstract record SourceDefinition(string Name, string Location)
{
    /// <summary>The source type as written in sluice.yml: "postgres" or "csv".</summary>
    public abstract string Type { get; }
}

/// <summary>A PostgreSQL database whose tables are copied with binary COPY.</summary>
/// <param name="Name">The source's name.</param>
/// <param name="Location">Where the entry is written.</param>
/// <param name="Url">postgres://user[:password]@host[:port]/database; never printed unmasked.</param>
/// <param name="Schema">The schema the tables are in.</param>
/// <param name="Tables">The tables to sync.</param>
public sealed record PostgresSourceDefinition(string Name, string Location, string Url, string Schema, IReadOnlyList<SyncTableDefinition> Tables)
    : SourceDefinition(Name, Location)
{
    /// <inheritdoc />
    public override string Type => "postgres";
}

/// <summary>CSV files: one warehouse table per file name, or all files into <see cref="Table"/>.</summary>
/// <param name="Name">The source's name.</param>
/// <param name="Location">Where the entry is written.</param>
/// <param name="Path">A file or a glob (<c>data/*.csv</c>), relative to the project folder.</param>
/// <param name="Table">The one table every matching file loads into; null for a table per file.</param>
/// <param name="Format">How the files are written.</param>
/// <param name="Columns">Declared column types by column name; other columns' types are inferred.</param>
public sealed record CsvSourceDefinition(
    string Name,
    string Location,
    string Path,
    string? Table,
    CsvFormat Format,
    IReadOnlyDictionary<string, string> Columns)
    : SourceDefinition(Name, Location)
{
    /// <inheritdoc />
    public override string Type => "csv";

    /// <summary>The columns that identify a row, for parity's key checksums; empty when none are given.</summary>
    public IReadOnlyList<string> PrimaryKey { get; init; } = [];

    /// <summary>True when each sync compares the files with the raw table (<c>parity:</c>).</summary>
    public bool Parity { get; init; }

    /// <summary>The date or timestamp column whose UTC days parity also compares; null for totals only.</summary>
    public string? ParityDateColumn { get; init; }

    /// <summary>How messages name this source's settings: <c>sources.&lt;name&gt;</c>; a seed names its config instead.</summary>
    public string SettingsName { get; init; } = $"sources.{Name}";

    /// <summary>How messages name the setting that declares column types: <c>sources.&lt;name&gt;.columns</c>.</summary>
    public string ColumnsSetting { get; init; } = $"sources.{Name}.columns";

    /// <summary>How messages name the thing being loaded: <c>source '&lt;name&gt;'</c>, or <c>seed '&lt;name&gt;'</c>.</summary>
    public string DisplayName { get; init; } = $"source '{Name}'";
}

/// <summary>The dialect of a CSV file.</summary>
/// <param name="Header">True when the first line names the columns.</param>
/// <param name="Delimiter">The field separator.</param>
/// <param name="Quote">The quote character.</param>
public sealed record CsvFormat(bool Header = true, char Delimiter = ',', char Quote = '"');
