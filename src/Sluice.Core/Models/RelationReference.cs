using System.Text.RegularExpressions;
using Sluice.Core.Project;
using Sluice.Core.Warehouse;
using YamlDotNet.RepresentationModel;

namespace Sluice.Core.Models;

/// <summary>A relation of the project that a check or metric reads: a model (seed, snapshot) or a source table.</summary>
/// <param name="Model">The model's name, or null for a source table.</param>
/// <param name="Source">The source's name, for a source table.</param>
/// <param name="Table">The source table's name.</param>
public sealed partial record RelationReference(string? Model, string? Source, string? Table)
{
    /// <summary>
    /// Reads <c>ref('x')</c> or <c>source('a', 'b')</c> (with or without <c>{{ }}</c>), or, when
    /// <paramref name="bareName"/>, a model's plain name, checking that the project has it.
    /// Returns null for a disabled model, which its readers leave out.
    /// </summary>
    public static RelationReference? Read(ConfigFile file, YamlNode node, string key, ParsedProject project, bool bareName = false) =>
        Parse(file, node, key, file.ReadString(node, key).Trim(), project, bareName);

    /// <summary>As <see cref="Read"/>, for <paramref name="text"/> taken from <paramref name="node"/>.</summary>
    public static RelationReference? Parse(ConfigFile file, YamlNode node, string key, string text, ParsedProject project, bool bareName = false)
    {
        var model = RefCall().Match(text) is { Success: true } reference ? reference.Groups["name"].Value
            : bareName && PlainName().IsMatch(text) ? text
            : null;
        if (model is not null)
        {
            if (project.Disabled.Contains(model))
            {
                return null;
            }

            return project.Nodes.ContainsKey(model)
                ? ForModel(model)
                : throw file.Error(node, $"{key}: {(bareName ? $"'{model}'" : $"ref('{model}')")} names no model, seed or snapshot of this project.");
        }

        if (SourceCall().Match(text) is { Success: true } source)
        {
            var (sourceName, table) = (source.Groups["source"].Value, source.Groups["table"].Value);
            return project.TryResolveSource(sourceName, table) is null
                ? throw file.Error(node, $"{key}: {project.UndeclaredSource(sourceName, table)}.")
                : ForSource(sourceName, table);
        }

        throw file.Error(node, $"{key} must be {(bareName ? "a model's name, " : string.Empty)}ref('model') or source('source', 'table'), not '{text}'.");
    }

    /// <summary>A model, seed or snapshot.</summary>
    public static RelationReference ForModel(string name) => new(name, null, null);

    /// <summary>A table of a source.</summary>
    public static RelationReference ForSource(string source, string table) => new(null, source, table);

    /// <summary>The warehouse relation it names in <paramref name="project"/>; null for an ephemeral model, which has none.</summary>
    public TableName? TableIn(ParsedProject project) =>
        IsSource ? project.TryResolveSource(Source!, Table!)
        : project.Nodes[Model!] is { Config.Materialized: not Materialization.Ephemeral } model ? model.Table
        : null;

    /// <summary>Whether this is a source table.</summary>
    public bool IsSource => Source is not null;

    /// <summary>How results and messages name it: the model's name, or <c>source.table</c>.</summary>
    public string DisplayName => IsSource ? $"{Source}.{Table}" : Model!;

    /// <inheritdoc />
    public override string ToString() => IsSource ? $"source('{Source}', '{Table}')" : $"ref('{Model}')";

    [GeneratedRegex("""^\{\{\s*ref\(\s*['"](?<name>\w+)['"]\s*\)\s*\}\}$|^ref\(\s*['"](?<name>\w+)['"]\s*\)$""")]
    private static partial Regex RefCall();

    [GeneratedRegex("""^(\{\{\s*)?source\(\s*['"](?<source>\w+)['"]\s*,\s*['"](?<table>\w+)['"]\s*\)(\s*\}\})?$""")]
    private static partial Regex SourceCall();

    [GeneratedRegex("""^\w+$""")]
    private static partial Regex PlainName();
}
