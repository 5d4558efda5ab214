using Sluice.Core.Project;

namespace Sluice.Operate.Export;

/// <summary>The file formats <c>sluice export</c> writes.</summary>
public enum ExportFormat
{
    /// <summary>JSON Lines: one JSON object per row, <c>_id</c> first, then the columns.</summary>
    Jsonl,

    /// <summary>RFC 4180 CSV with a header row, <c>_id</c> first.</summary>
    Csv,

    /// <summary>Apache Parquet, with <c>_id</c> as the first column.</summary>
    Parquet,
}

/// <summary>Names and file extensions of <see cref="ExportFormat"/>.</summary>
public static class ExportFormats
{
    /// <summary>The names <c>--format</c> accepts, which are also the files' extensions.</summary>
    public static IReadOnlyList<string> Names { get; } = ["jsonl", "csv", "parquet"];

    /// <summary>The format named <paramref name="name"/>.</summary>
    public static ExportFormat Parse(string name) => name switch
    {
        "jsonl" => ExportFormat.Jsonl,
        "csv" => ExportFormat.Csv,
        "parquet" => ExportFormat.Parquet,
        _ => throw new ConfigurationException($"--format '{name}' is not an export format; use one of {string.Join(", ", Names)}."),
    };

    /// <summary>The format's name, which is also its files' extension.</summary>
    public static string Name(ExportFormat format) => Names[(int)format];
}
