using System.Globalization;
using System.Reflection;

namespace Sluice.Warehouses.Metadata;

/// <summary>One numbered script that upgrades the _sluice schema by one version.</summary>
/// <param name="Version">The version the schema has after the script.</param>
/// <param name="Name">The file name without its number and extension.</param>
/// <param name="Sql">The script, in the SQL that DuckDB and PostgreSQL share or in an engine's own.</param>
public sealed record Migration(int Version, string Name, string Sql)
{
    private const string ResourcePrefix = "Sluice.Warehouses.Migrations.";

    /// <summary>The migrations shipped with Sluice, in order; versions are 1, 2, … without gaps.</summary>
    public static IReadOnlyList<Migration> All { get; } = Load(null);

    private static readonly IReadOnlyList<Migration> ClickHouse = Load("clickhouse");

    /// <summary>
    /// The migrations for an engine: the shared ones, in the SQL DuckDB and PostgreSQL share, or
    /// an engine's own versions of them where its SQL differs too much (ClickHouse).
    /// </summary>
    public static IReadOnlyList<Migration> For(string engine) => engine switch
    {
        // An engine's set follows the shared one version for version.
        "clickhouse" when ClickHouse.Count != All.Count =>
            throw new InvalidOperationException($"The ClickHouse metadata migrations stop at version {ClickHouse.Count}; the shared ones go to {All.Count}."),
        "clickhouse" => ClickHouse,
        _ => All,
    };

    private static List<Migration> Load(string? engine)
    {
        var assembly = typeof(Migration).Assembly;
        var prefix = engine is null ? ResourcePrefix : $"{ResourcePrefix}{engine}.";
        var migrations = assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(prefix, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal) && !n[prefix.Length..^".sql".Length].Contains('.'))
            .Select(n => Read(assembly, prefix, n))
            .OrderBy(m => m.Version)
            .ToList();
        for (var i = 0; i < migrations.Count; i++)
        {
            if (migrations[i].Version != i + 1)
            {
                throw new InvalidOperationException($"Metadata migrations must be numbered 1, 2, 3 … without gaps; found {migrations[i].Version} at position {i + 1}.");
            }
        }

        return migrations;
    }

    private static Migration Read(Assembly assembly, string prefix, string resource)
    {
        var file = resource[prefix.Length..^".sql".Length];
        var underscore = file.IndexOf('_', StringComparison.Ordinal);
        var version = int.Parse(file[..underscore], CultureInfo.InvariantCulture);
        using var stream = assembly.GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream);
        return new Migration(version, file[(underscore + 1)..], reader.ReadToEnd());
    }
}
