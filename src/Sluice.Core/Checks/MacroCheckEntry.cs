using System.Text.RegularExpressions;
using Sluice.Core.Models;
using Sluice.Core.Project;
using Sluice.Core.Templating;
using Sluice.Core.Warehouse;
using YamlDotNet.RepresentationModel;

namespace Sluice.Core.Checks;

/// <summary>
/// Reads a <c>tests:</c> entry that names a generic test written as a macro: dbt's settings
/// (beside the arguments or under <c>config:</c>, with <c>warn_if</c>, <c>error_if</c>,
/// <c>fail_calc</c> and <c>limit</c>), and the macro's arguments (beside the settings or under
/// <c>arguments:</c>), checked against the macro's parameters before anything runs.
/// </summary>
internal static partial class MacroCheckEntry
{
    private static readonly string[] SettingKeys = ["name", "severity", "where", "store_failures", "tags", "enabled", "description", "meta", "column_name", "config", "arguments", "warn_if", "error_if", "fail_calc", "limit", "alias"];

    private static readonly string[] ConfigKeys = ["severity", "where", "store_failures", "tags", "enabled", "meta", "alias", "warn_if", "error_if", "fail_calc", "limit", "mostly"];

    /// <summary>The check, or null when it is disabled or reads a disabled model.</summary>
    public static (CheckDefinition Check, string? GivenName, YamlNode? At)? Read(
        ConfigFile file, YamlNode item, YamlNode typeNode, string written, YamlNode? argsNode, MacroValue macro, RelationReference target, string? column, ParsedProject project)
    {
        var definition = macro.Macro;
        var parameters = definition.Parameters.Select(p => p.Name).ToList();
        var settings = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
        var arguments = new Dictionary<string, (YamlNode Key, YamlNode Value)>(StringComparer.Ordinal);
        var what = $"the test '{written}' on {Describe(target, column)}";
        var macroText = $"its macro {definition.DisplayName} ({MacroLocation(definition)})";
        Split(file, argsNode, written, parameters, settings, arguments);
        if (settings.TryGetValue("mostly", out var mostlyNode))
        {
            throw file.Error(mostlyNode, $"{what}: mostly applies to Sluice's own checks, which count the rows in scope; a generic test's SQL returns only its failing rows, so there is no share to compare. Use a threshold instead, such as `config: {{error_if: '>10'}}` (fail above 10 failing rows) or `warn_if`.");
        }

        if (settings.TryGetValue("column_name", out var columnNode))
        {
            if (column is not null)
            {
                throw file.Error(columnNode, $"column_name is given on a test that is declared under the column '{column}'; remove it.");
            }

            column = file.ReadString(columnNode, "column_name");
            what = $"the test '{written}' on {Describe(target, column)}";
        }

        CheckParameters(file, typeNode, what, macroText, definition, arguments, column, target);
        if (settings.TryGetValue("enabled", out var enabledNode) && !ConfigValues.Bool(file, enabledNode, "enabled"))
        {
            return null;
        }

        var reads = new List<RelationReference> { target };
        var values = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (key, (_, value)) in arguments)
        {
            if (!RecordReads(file, value, key, project, reads))
            {
                return null;
            }

            values[key] = ArgumentValue(value);
        }

        var severity = CheckSeverity.Error;
        if (settings.TryGetValue("severity", out var severityNode))
        {
            var text = file.ReadString(severityNode, "severity");
            severity = CheckValues.Severity(text) ?? throw file.Error(severityNode, $"severity must be 'warn' or 'error', not '{text}'.");
        }

        var kind = new MacroCheck(written, macro, values)
        {
            WarnIf = settings.TryGetValue("warn_if", out var warnIf) ? Threshold(file, warnIf, "warn_if") : TestThresholds.AnyFailure,
            ErrorIf = settings.TryGetValue("error_if", out var errorIf) ? Threshold(file, errorIf, "error_if") : TestThresholds.AnyFailure,
            FailCalc = settings.TryGetValue("fail_calc", out var failCalc) ? file.ReadString(failCalc, "fail_calc") : "count(*)",
            Limit = settings.TryGetValue("limit", out var limit) ? file.ReadInt(limit, "limit", min: 1) : null,
            Configured = settings.Keys.ToHashSet(StringComparer.Ordinal),
        };
        return (new CheckDefinition
        {
            Name = string.Empty,
            Kind = kind,
            Target = target,
            Column = column,
            Severity = severity,
            Where = settings.TryGetValue("where", out var where) ? file.ReadString(where, "where") : null,
            StoreFailures = settings.TryGetValue("store_failures", out var store) && ConfigValues.Bool(file, store, "store_failures"),
            Tags = settings.TryGetValue("tags", out var tags) ? ConfigValues.Names(file, tags, "tags") : [],
            Reads = reads.Distinct().ToList(),
            File = file.Path,
            Line = (int)item.Start.Line,
        }, settings.TryGetValue("name", out var nameNode) ? file.ReadString(nameNode, "name") : null, nameNode ?? item);
    }

    // Settings beside the arguments, under config: or arguments:, as dbt reads them: a key that
    // is not a setting is an argument, and everything under arguments: is one.
    private static void Split(ConfigFile file, YamlNode? argsNode, string written, List<string> parameters, Dictionary<string, YamlNode> settings, Dictionary<string, (YamlNode Key, YamlNode Value)> arguments)
    {
        if (argsNode is not (null or YamlScalarNode { Value: null or "" } or YamlMappingNode))
        {
            throw file.Error(argsNode, $"the arguments of the test '{written}' must be a mapping, such as `- {written}: {{config: {{severity: warn}}}}`.");
        }

        if (argsNode is YamlMappingNode)
        {
            foreach (var (key, (keyNode, value)) in file.ReadMapping(argsNode, $"the test '{written}'", KeysOf(argsNode)))
            {
                switch (key)
                {
                    case "config":
                        foreach (var (inner, (innerKey, innerValue)) in file.ReadMapping(value, $"config of the test '{written}'", ConfigKeys))
                        {
                            Add(file, settings, inner, innerKey, innerValue);
                        }

                        break;
                    case "arguments":
                        foreach (var (inner, (innerKey, innerValue)) in file.ReadMapping(value, $"arguments of the test '{written}'", KeysOf(value)))
                        {
                            if (inner == "column_name")
                            {
                                Add(file, settings, inner, innerKey, innerValue);
                            }
                            else if (!arguments.TryAdd(inner, (innerKey, innerValue)))
                            {
                                throw file.Error(innerKey, $"'{inner}' is given twice for this test (beside the settings and under arguments:); keep one.");
                            }
                        }

                        break;
                    case "mostly" when !parameters.Contains("mostly"):
                        Add(file, settings, key, keyNode, value);
                        break;
                    case var _ when SettingKeys.Contains(key):
                        Add(file, settings, key, keyNode, value);
                        break;
                    default:
                        if (!arguments.TryAdd(key, (keyNode, value)))
                        {
                            throw file.Error(keyNode, $"'{key}' is given twice for this test (beside the settings and under arguments:); keep one.");
                        }

                        break;
                }
            }
        }
    }

    /// <summary><c>macros/tests.sql:3</c>: where a macro is written.</summary>
    public static string MacroLocation(MacroDefinition macro) => $"{macro.Source.File}:{macro.Source.PositionOf(macro.Offset).Line}";

    // Any key reads as an argument; CheckParameters then says which the macro does not take.
    private static List<string> KeysOf(YamlNode node) =>
        node is YamlMappingNode mapping ? [.. mapping.Children.Keys.OfType<YamlScalarNode>().Select(k => k.Value).OfType<string>()] : [];

    // The arguments against the macro's parameters: model is the checked relation, column_name
    // comes from where the test is declared, and the others without a default must be given.
    private static void CheckParameters(ConfigFile file, YamlNode at, string what, string macroText, MacroDefinition macro, Dictionary<string, (YamlNode Key, YamlNode Value)> arguments, string? column, RelationReference target)
    {
        var parameters = macro.Parameters.Where(p => p.Name is not ("model" or "column_name")).ToList();
        var takes = parameters.Count == 0 ? "takes no arguments" : $"takes {string.Join(", ", parameters.Select(p => p.Default is null ? p.Name : p.Name + " (optional)"))}";
        if (arguments.TryGetValue("model", out var model))
        {
            throw file.Error(model.Key, $"{what}: model is not an argument to give; the test receives the relation it is declared on as model. Remove it.");
        }

        if (!macro.TakesKwargs && arguments.Keys.FirstOrDefault(k => parameters.All(p => p.Name != k)) is { } unknown)
        {
            throw file.Error(arguments[unknown].Key, $"{what}: '{unknown}' is not an argument of {macroText}, which {takes}.");
        }

        var columnParameter = macro.Parameters.FirstOrDefault(p => p.Name == "column_name");
        if (column is null && columnParameter is { Default: null })
        {
            throw file.Error(at, $"{what} needs a column: declare it under a column's tests:, or add `column_name: …`.");
        }

        if (column is not null && columnParameter is null && !macro.TakesKwargs)
        {
            throw file.Error(at, $"{what}: {macroText} takes no column_name, so it tests the table as a whole; declare it under the {(target.IsSource ? "table" : "model")}'s tests:, not under a column.");
        }

        if (parameters.FirstOrDefault(p => p.Default is null && !arguments.ContainsKey(p.Name)) is { } missing)
        {
            throw file.Error(at, $"{what} needs {missing.Name}: {macroText} {takes}.");
        }
    }

    // The relations an argument names (`ref('x')`, `source('a', 'b')`, Jinja that calls them),
    // so that the check runs after them; false when one is a disabled model.
    private static bool RecordReads(ConfigFile file, YamlNode node, string key, ParsedProject project, List<RelationReference> reads)
    {
        switch (node)
        {
            case YamlSequenceNode list:
                return list.Children.All(child => RecordReads(file, child, key, project, reads));
            case YamlMappingNode mapping:
                return mapping.Children.Values.All(child => RecordReads(file, child, key, project, reads));
            case YamlScalarNode { Value: { } text } when RendersAtRunTime(text):
                var source = new TemplateSource(file.Path, LooksLikeCall().IsMatch(text) ? $"{{{{ {text} }}}}" : text);
                TemplateRecorder.Recording recording;
                try
                {
                    recording = TemplateRecorder.Record(project, source, TemplateParser.Parse(source), new Relation(new TableName(project.Target.Schema, "test")), new NodeConfig());
                }
                catch (TemplateException e)
                {
                    throw file.Error(node, $"{key}: {e.Reason}.");
                }

                foreach (var reference in recording.Refs)
                {
                    if (project.Disabled.Contains(reference.Name))
                    {
                        return false;
                    }

                    reads.Add(project.Nodes.ContainsKey(reference.Name)
                        ? RelationReference.ForModel(reference.Name)
                        : throw file.Error(node, $"{key}: ref('{reference.Name}') names no model, seed or snapshot of this project."));
                }

                reads.AddRange(recording.Sources.Select(s => RelationReference.ForSource(s.Source, s.Table)));
                return true;
            default:
                return true;
        }
    }

    // As dbt renders a test's arguments: a bare call such as ref('orders') is the call's value, a
    // string that is one {{ … }} is its expression's value, other Jinja renders to text.
    private static object? ArgumentValue(YamlNode node) => node switch
    {
        YamlSequenceNode list => list.Children.Select(ArgumentValue).ToList(),
        YamlMappingNode mapping => mapping.Children.ToDictionary(
            c => c.Key is YamlScalarNode { Value: { } key } ? key : c.Key.ToString(),
            c => ArgumentValue(c.Value),
            StringComparer.Ordinal),
        YamlScalarNode scalar => YamlValues.Scalar(scalar) switch
        {
            string text when LooksLikeCall().IsMatch(text) => new TemplateArgument(text, text.Trim()),
            string text when WholeExpression().Match(text) is { Success: true } whole => new TemplateArgument(text, whole.Groups["expression"].Value.Trim()),
            string text when RendersAtRunTime(text) => new TemplateArgument(text, null),
            var value => value,
        },
        _ => null,
    };

    private static bool RendersAtRunTime(string text) =>
        LooksLikeCall().IsMatch(text) || text.Contains("{{", StringComparison.Ordinal) || text.Contains("{%", StringComparison.Ordinal);

    private static string Threshold(ConfigFile file, YamlNode node, string key)
    {
        var text = file.ReadString(node, key);
        return TestThresholds.Normalize(text) ?? throw file.Error(node, TestThresholds.Problem(key, text));
    }

    private static void Add(ConfigFile file, Dictionary<string, YamlNode> settings, string key, YamlNode keyNode, YamlNode value)
    {
        if (!settings.TryAdd(key, value))
        {
            throw file.Error(keyNode, $"'{key}' is given twice for this test (beside the arguments and under config: or arguments:); keep one.");
        }
    }

    private static string Describe(RelationReference target, string? column) =>
        (target.IsSource ? $"source table {target.DisplayName}" : $"'{target.Model}'") + (column is null ? string.Empty : $", column '{column}'");

    [GeneratedRegex(@"^\s*(env_var|ref|var|source|doc)\s*\(.+\)\s*$", RegexOptions.Singleline)]
    private static partial Regex LooksLikeCall();

    [GeneratedRegex(@"^\s*\{\{-?(?<expression>(?:(?!\}\}|\{\{).)*?)-?\}\}\s*$", RegexOptions.Singleline)]
    private static partial Regex WholeExpression();
}
