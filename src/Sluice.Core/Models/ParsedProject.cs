using Sluice.Core.Graph;
using Sluice.Core.Project;
using Sluice.Core.Templating;
using Sluice.Core.Warehouse;

namespace Sluice.Core.Models;

/// <summary>
/// A project's models, seeds and snapshots, parsed and checked: definitions, the graph between
/// them, and how source tables resolve. Everything a plan needs, before any SQL runs.
/// </summary>
public sealed record ParsedProject
{
    /// <summary>The project.</summary>
    public required SluiceProject Project { get; init; }

    /// <summary>Its model settings.</summary>
    public required ModelProjectSettings Settings { get; init; }

    /// <summary>Enabled resources by name.</summary>
    public required IReadOnlyDictionary<string, ModelDefinition> Nodes { get; init; }

    /// <summary>The graph of the enabled resources.</summary>
    public required ProjectGraph Graph { get; init; }

    /// <summary>The property files.</summary>
    public required PropertyFiles Properties { get; init; }

    /// <summary>The target templates see.</summary>
    public required TargetInfo Target { get; init; }

    /// <summary>The vars templates see.</summary>
    public required IReadOnlyDictionary<string, object?> Vars { get; init; }

    /// <summary>The source tables sluice.yml syncs, by source name: null means any table (a CSV source of many files).</summary>
    public required IReadOnlyDictionary<string, IReadOnlySet<string>?> SyncedSources { get; init; }

    /// <summary>The primary key of each table sluice.yml syncs, by (source, table), where it declares one.</summary>
    public IReadOnlyDictionary<(string Source, string Table), IReadOnlyList<string>> SourceKeys { get; init; } =
        new Dictionary<(string, string), IReadOnlyList<string>>();

    /// <summary>The names of the models, seeds and snapshots that are disabled.</summary>
    public IReadOnlySet<string> Disabled { get; init; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>The macros templates can call: the project's, its packages' and dbt's.</summary>
    public required MacroLibrary Macros { get; init; }

    /// <summary>The packages the project declares and where they were found.</summary>
    public PackageSet Packages { get; init; } = PackageSet.None;

    /// <summary>The data-quality checks the project declares, enabled ones only.</summary>
    public IReadOnlyList<Checks.CheckDefinition> Checks { get; init; } = [];

    /// <summary>The warehouse table of <c>source(source, table)</c>, or an error at the call naming what exists.</summary>
    public TableName ResolveSource(TemplateCall call, string source, string table) =>
        TryResolveSource(source, table) ?? throw call.Error(UndeclaredSource(source, table));

    /// <summary>The warehouse table of <c>source(source, table)</c>, or null when the project does not declare it.</summary>
    public TableName? TryResolveSource(string source, string table)
    {
        var synced = SyncedSources.TryGetValue(source, out var tables) && (tables is null || tables.Contains(table));
        if (Properties.Sources.TryGetValue((source, table), out var declared) && (declared.NamesLocation || !synced))
        {
            return new TableName(declared.Schema, declared.Identifier);
        }

        return synced ? Sync.RawTableNames.For(source, table) : null;
    }

    /// <summary>Why <c>source(source, table)</c> does not resolve, naming what the project declares.</summary>
    public string UndeclaredSource(string source, string table)
    {
        var known = Properties.Sources.Keys.Select(k => $"{k.Source}.{k.Table}")
            .Concat(SyncedSources.SelectMany(s => s.Value?.Select(t => $"{s.Key}.{t}") ?? [$"{s.Key}.*"]))
            .Order(StringComparer.Ordinal)
            .ToList();
        var hint = known.Count == 0
            ? "the project declares no sources; add them under sources: in a .yml file beside the models, or in sluice.yml"
            : $"the sources are {string.Join(", ", known.Take(12))}{(known.Count > 12 ? ", …" : string.Empty)}";
        return $"source('{source}', '{table}') is not declared; {hint}";
    }
}
