using System.Globalization;
using System.Reflection;

namespace Sluice.Warehouses.Metadata;

/// <summary>One numbered script that upgrades the _sluice schema by one version.</summary>
/// <param name="Version">The version the schema has after the script.</param>
/// <param name="Name">The file name without its number and extension.</param>
/// <param name="Sql">The script, in the SQL that DuckDB and PostgreSQL share.</param>
public sealed record Migration(int Version, string Name, string Sql)
{
    private const string ResourcePrefix = "Sluice.Warehouses.Migrations.";

    /// <summary>The migrations shipped with Sluice, in order; versions are 1, 2, … without gaps.</summary>
    public static IReadOnlyList<Migration> All { get; } = Load();

    private static List<Migration> Load()
    {
        var assembly = typeof(Migration).Assembly;
        var migrations = assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
            .Select(n => Read(assembly, n))
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

    private static Migration Read(Assembly assembly, string resource)
    {
        var file = resource[ResourcePrefix.Length..^".sql".Length];
        var underscore = file.IndexOf('_', StringComparison.Ordinal);
        var version = int.Parse(file[..underscore], CultureInfo.InvariantCulture);
        using var stream = assembly.GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream);
        return new Migration(version, file[(underscore + 1)..], reader.ReadToEnd());
    }
}
