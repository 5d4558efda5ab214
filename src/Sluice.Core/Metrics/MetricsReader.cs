using System.Globalization;
using System.Text.RegularExpressions;
using Sluice.Core.Models;
using Sluice.Core.Project;
using YamlDotNet.RepresentationModel;

namespace Sluice.Core.Metrics;

/// <summary>
/// Reads metrics.yml at the project's root: the tenant column, metrics, funnels, benchmarks and
/// the relations served row by row. Names, relations and the shape of every entry are checked
/// here, with errors at their line; columns are checked against the warehouse when the server
/// starts.
/// </summary>
public static partial class MetricsReader
{
    /// <summary>The file's name.</summary>
    public const string FileName = "metrics.yml";

    private static readonly string[] TopKeys = ["tenant", "metrics", "funnels", "benchmarks", "expose"];
    private static readonly string[] MetricKeys = ["name", "model", "time", "measure", "dimensions", "description"];
    private static readonly string[] MeasureKeys = ["agg", "expr", "p"];
    private static readonly string[] FunnelKeys = ["name", "model", "entity", "time", "step", "window", "dimensions"];
    private static readonly string[] BenchmarkKeys = ["name", "metric", "entity", "peer_groups", "peers", "min_peers"];
    private static readonly string[] ExposeKeys = ["model", "filters"];

    /// <summary>The project's metrics.yml, or <see cref="MetricsCatalog.Empty"/> when it has none.</summary>
    public static MetricsCatalog Read(ParsedProject project)
    {
        var path = Path.Combine(project.Project.Directory, FileName);
        if (!File.Exists(path))
        {
            return MetricsCatalog.Empty;
        }

        var file = new ConfigFile(path, project.Project.Environment);
        var root = file.Parse(File.ReadAllText(path));
        if (root is null)
        {
            return MetricsCatalog.Empty with { File = path };
        }

        var top = file.ReadMapping(root, FileName, TopKeys);
        string? tenant = null;
        if (top.TryGetValue("tenant", out var tenantEntry))
        {
            var tenantKeys = file.ReadMapping(tenantEntry.Value, "tenant", ["column"]);
            tenant = tenantKeys.TryGetValue("column", out var column)
                ? Identifier(file, column.Value, "tenant.column")
                : throw file.Error(tenantEntry.Value, "tenant needs column, such as `tenant: {column: company_id}`.");
        }

        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        var metrics = Items(file, top, "metrics").Select(item => ReadMetric(file, item, project, names)).OfType<MetricDefinition>().ToList();
        var funnels = Items(file, top, "funnels").Select(item => ReadFunnel(file, item, project, names)).OfType<FunnelDefinition>().ToList();
        var benchmarks = Items(file, top, "benchmarks").Select(item => ReadBenchmark(file, item, project, metrics, names)).OfType<BenchmarkDefinition>().ToList();
        var exposed = new List<ExposedModel>();
        foreach (var item in Items(file, top, "expose"))
        {
            if (ReadExposed(file, item, project) is { } model)
            {
                exposed.Add(exposed.Any(e => e.Name == model.Name)
                    ? throw file.Error(item, $"'{model.Name}' is exposed twice; merge its filters into one entry.")
                    : model);
            }
        }

        return new MetricsCatalog(tenant, metrics, funnels, benchmarks, exposed, path);
    }

    private static IEnumerable<YamlNode> Items(ConfigFile file, IReadOnlyDictionary<string, KeyValuePair<YamlScalarNode, YamlNode>> top, string key) =>
        !top.TryGetValue(key, out var entry) || entry.Value is YamlScalarNode { Value: null or "" } ? []
        : entry.Value is YamlSequenceNode list ? list.Children
        : throw file.Error(entry.Value, $"{key} must be a list of entries, each starting with `- name:`.");

    private static MetricDefinition? ReadMetric(ConfigFile file, YamlNode item, ParsedProject project, Dictionary<string, string> names)
    {
        var entries = file.ReadMapping(item, "a metric", MetricKeys);
        var name = Name(file, item, entries, "metric", names);
        var what = $"metric '{name}'";
        var relation = Relation(file, item, entries, what, project);
        if (relation is null)
        {
            return null;
        }

        var time = Identifier(file, Required(file, item, entries, "time", what, "`time: created_at`"), "time");
        var measure = ReadMeasure(file, Required(file, item, entries, "measure", what, "`measure: {agg: avg, expr: score}`"), what);
        var dimensions = Dimensions(file, entries, what);
        var description = entries.TryGetValue("description", out var text) ? file.ReadString(text.Value, "description") : null;
        return new MetricDefinition(name, relation, time, measure, dimensions, description, Location(file, item));
    }

    private static List<string> Dimensions(ConfigFile file, IReadOnlyDictionary<string, KeyValuePair<YamlScalarNode, YamlNode>> entries, string what)
    {
        if (!entries.TryGetValue("dimensions", out var list))
        {
            return [];
        }

        var dimensions = ConfigValues.Names(file, list.Value, "dimensions").Select(d => Identifier(file, list.Value, "dimensions", d)).ToList();
        var duplicate = dimensions.GroupBy(d => d, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
        return duplicate is null ? dimensions : throw file.Error(list.Value, $"{what} lists dimension '{duplicate.Key}' twice; keep one.");
    }

    private static Measure ReadMeasure(ConfigFile file, YamlNode node, string what)
    {
        var entries = file.ReadMapping(node, "measure", MeasureKeys);
        if (!entries.TryGetValue("agg", out var agg))
        {
            throw file.Error(node, $"{what}: measure needs agg (count, count_distinct, sum, avg, min, max or percentile), such as `{{agg: avg, expr: score}}`.");
        }

        var aggregation = file.ReadString(agg.Value, "agg") switch
        {
            "count" => Aggregation.Count,
            "count_distinct" => Aggregation.CountDistinct,
            "sum" => Aggregation.Sum,
            "avg" or "average" or "mean" => Aggregation.Avg,
            "min" => Aggregation.Min,
            "max" => Aggregation.Max,
            "percentile" => Aggregation.Percentile,
            var other => throw file.Error(agg.Value, $"{what}: unknown agg '{other}'; use count, count_distinct, sum, avg, min, max or percentile."),
        };
        var expression = entries.TryGetValue("expr", out var expr) ? file.ReadString(expr.Value, "expr") : null;
        if (expression is null && aggregation != Aggregation.Count)
        {
            throw file.Error(node, $"{what}: agg {file.ReadString(agg.Value, "agg")} needs expr, the column or SQL expression it aggregates, such as `expr: score`.");
        }

        double? percentile = null;
        if (aggregation == Aggregation.Percentile)
        {
            percentile = entries.TryGetValue("p", out var p)
                ? ConfigValues.Fraction(file, p.Value, "p")
                : throw file.Error(node, $"{what}: agg percentile needs p, the fraction, such as `p: 0.9`.");
        }
        else if (entries.TryGetValue("p", out var p))
        {
            throw file.Error(p.Key, $"{what}: p applies to agg percentile only.");
        }

        return new Measure(aggregation, expression, percentile);
    }

    private static FunnelDefinition? ReadFunnel(ConfigFile file, YamlNode item, ParsedProject project, Dictionary<string, string> names)
    {
        var entries = file.ReadMapping(item, "a funnel", FunnelKeys);
        var name = Name(file, item, entries, "funnel", names);
        var what = $"funnel '{name}'";
        var relation = Relation(file, item, entries, what, project);
        if (relation is null)
        {
            return null;
        }

        var entity = Identifier(file, Required(file, item, entries, "entity", what, "`entity: user_id`"), "entity");
        var time = Identifier(file, Required(file, item, entries, "time", what, "`time: occurred_at`"), "time");
        var stepNode = Required(file, item, entries, "step", what, "`step: {column: event_name, values: [enrolled, matched, completed]}`");
        var step = file.ReadMapping(stepNode, "step", ["column", "values"]);
        if (!step.TryGetValue("column", out var column) || !step.TryGetValue("values", out var values))
        {
            throw file.Error(stepNode, $"{what}: step needs column and values, such as `{{column: event_name, values: [enrolled, matched, completed]}}`.");
        }

        var steps = ConfigValues.Names(file, values.Value, "step.values");
        if (steps.Count < 2)
        {
            throw file.Error(values.Value, $"{what}: a funnel needs two or more steps in step.values.");
        }

        if (steps.GroupBy(s => s, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            throw file.Error(values.Value, $"{what}: step '{twice.Key}' appears twice in step.values; each step is a distinct event.");
        }

        TimeSpan? window = entries.TryGetValue("window", out var windowNode) ? ConfigValues.Duration(file, windowNode.Value, "window") : null;
        return new FunnelDefinition(name, relation, entity, time, Identifier(file, column.Value, "step.column"), steps, window, Dimensions(file, entries, what), Location(file, item));
    }

    private static BenchmarkDefinition? ReadBenchmark(ConfigFile file, YamlNode item, ParsedProject project, List<MetricDefinition> metrics, Dictionary<string, string> names)
    {
        var entries = file.ReadMapping(item, "a benchmark", BenchmarkKeys);
        var name = Name(file, item, entries, "benchmark", names);
        var what = $"benchmark '{name}'";
        var metricNode = Required(file, item, entries, "metric", what, "`metric: outcome_score`");
        var metric = file.ReadString(metricNode, "metric");
        if (metrics.All(m => m.Name != metric))
        {
            throw file.Error(metricNode, $"{what}: metric '{metric}' is not declared under metrics{Known(metrics.Select(m => m.Name))}.");
        }

        var entity = Identifier(file, Required(file, item, entries, "entity", what, "`entity: company_id`"), "entity");
        var groupsNode = Required(file, item, entries, "peer_groups", what, "`peer_groups: {industry: ref('dim_company').industry}`");
        if (groupsNode is not YamlMappingNode { Children.Count: > 0 } groups)
        {
            throw file.Error(groupsNode, $"{what}: peer_groups must map names to columns of a relation, such as `{{industry: ref('dim_company').industry}}`.");
        }

        var peers = new List<PeerGroup>();
        foreach (var (keyNode, value) in groups.Children)
        {
            var group = Identifier(file, keyNode, "peer_groups");
            var text = file.ReadString(value, $"peer_groups.{group}").Trim();
            var match = PeerColumn().Match(text);
            if (!match.Success)
            {
                throw file.Error(value, $"{what}: peer_groups.{group} must be a relation and its column, such as ref('dim_company').industry, not '{text}'.");
            }

            var relation = RelationReference.Parse(file, value, $"peer_groups.{group}", match.Groups["relation"].Value, project);
            if (relation is null)
            {
                return null;
            }

            peers.Add(new PeerGroup(group, relation, match.Groups["column"].Value));
        }

        var (scope, minPeers) = PeerScopeOf(file, entries, what);
        return new BenchmarkDefinition(name, metric, entity, peers, Location(file, item)) { Peers = scope, MinPeers = minPeers };
    }

    // Other tenants' figures reach a tenant key only when the benchmark says so, and only as quartiles of enough of them.
    private static (PeerScope Scope, int MinPeers) PeerScopeOf(ConfigFile file, IReadOnlyDictionary<string, KeyValuePair<YamlScalarNode, YamlNode>> entries, string what)
    {
        var scope = PeerScope.Tenant;
        if (entries.TryGetValue("peers", out var peersEntry))
        {
            var name = file.ReadString(peersEntry.Value, "peers");
            scope = PeerScopes.Parse(name)
                ?? throw file.Error(peersEntry.Value, $"{what}: peers must be `tenant` (a tenant key's peers are its own rows; the default) or `cross_tenant` (other tenants, as quartiles of at least min_peers of them), not '{name}'.");
        }

        if (!entries.TryGetValue("min_peers", out var minEntry))
        {
            return (scope, BenchmarkDefinition.LeastMinPeers);
        }

        return scope == PeerScope.CrossTenant
            ? (scope, file.ReadInt(minEntry.Value, $"{what}: min_peers", BenchmarkDefinition.LeastMinPeers, 1_000_000))
            : throw file.Error(minEntry.Value, $"{what}: min_peers applies to `peers: cross_tenant` only; add it or remove min_peers.");
    }

    private static ExposedModel? ReadExposed(ConfigFile file, YamlNode item, ParsedProject project)
    {
        var entries = file.ReadMapping(item, "an exposed model", ExposeKeys);
        var modelNode = Required(file, item, entries, "model", "an exposed model", "`model: fct_appointments`");
        var relation = RelationReference.Read(file, modelNode, "model", project, bareName: true);
        if (relation is null)
        {
            return null;
        }

        var filters = new List<ExposedFilter>();
        if (entries.TryGetValue("filters", out var list))
        {
            if (list.Value is not YamlSequenceNode sequence)
            {
                throw file.Error(list.Value, "filters must be a list of columns, such as `[patient_id, date: {column: appointment_date, range: true}]`.");
            }

            foreach (var entry in sequence.Children)
            {
                var filter = ReadFilter(file, entry);
                filters.Add(filters.Any(f => string.Equals(f.Name, filter.Name, StringComparison.OrdinalIgnoreCase))
                    ? throw file.Error(entry, $"filter '{filter.Name}' appears twice for {relation.DisplayName}; keep one.")
                    : filter);
            }
        }

        return new ExposedModel(relation, filters, Location(file, item));
    }

    // A column (`patient_id`) or a named filter (`date: {column: appointment_date, range: true}`).
    private static ExposedFilter ReadFilter(ConfigFile file, YamlNode entry)
    {
        if (entry is YamlScalarNode)
        {
            var column = Identifier(file, entry, "filters");
            return new ExposedFilter(column, column, false);
        }

        if (entry is YamlMappingNode { Children.Count: 1 } named)
        {
            var (keyNode, value) = named.Children.Single();
            var name = Identifier(file, keyNode, "filters");
            var settings = file.ReadMapping(value, $"filter '{name}'", ["column", "range"]);
            var column = settings.TryGetValue("column", out var columnNode) ? Identifier(file, columnNode.Value, $"filters.{name}.column") : name;
            var range = settings.TryGetValue("range", out var rangeNode) && ConfigValues.Bool(file, rangeNode.Value, $"filters.{name}.range");
            return new ExposedFilter(name, column, range);
        }

        throw file.Error(entry, "each filter is a column name, or a name with settings such as `date: {column: appointment_date, range: true}`.");
    }

    private static string Name(ConfigFile file, YamlNode item, IReadOnlyDictionary<string, KeyValuePair<YamlScalarNode, YamlNode>> entries, string kind, Dictionary<string, string> names)
    {
        if (!entries.TryGetValue("name", out var node))
        {
            throw file.Error(item, $"each {kind} needs a name, used in its URL.");
        }

        var name = file.ReadString(node.Value, "name");
        if (!ApiName().IsMatch(name))
        {
            throw file.Error(node.Value, $"{kind} name '{name}' may hold letters, digits, '_' and '-' only (it appears in URLs), and starts with a letter.");
        }

        if (names.TryGetValue($"{kind}:{name}", out var first))
        {
            throw file.Error(node.Value, $"{kind} '{name}' is declared twice (first at {first}); rename one.");
        }

        names[$"{kind}:{name}"] = Location(file, item);
        return name;
    }

    private static RelationReference? Relation(ConfigFile file, YamlNode item, IReadOnlyDictionary<string, KeyValuePair<YamlScalarNode, YamlNode>> entries, string what, ParsedProject project) =>
        RelationReference.Read(file, Required(file, item, entries, "model", what, "`model: fct_orders`"), "model", project, bareName: true);

    private static YamlNode Required(ConfigFile file, YamlNode item, IReadOnlyDictionary<string, KeyValuePair<YamlScalarNode, YamlNode>> entries, string key, string what, string example) =>
        entries.TryGetValue(key, out var entry) ? entry.Value : throw file.Error(item, $"{what} needs {key}, such as {example}.");

    private static string Identifier(ConfigFile file, YamlNode node, string what, string? value = null)
    {
        var text = value ?? file.ReadString(node, what);
        return ColumnName().IsMatch(text)
            ? text
            : throw file.Error(node, $"{what}: '{text}' is not a column name (letters, digits and '_', not starting with a digit).");
    }

    private static string Location(ConfigFile file, YamlNode node) =>
        string.Create(CultureInfo.InvariantCulture, $"{file.Path}:{Math.Max(node.Start.Line, 1)}:{Math.Max(node.Start.Column, 1)}");

    private static string Known(IEnumerable<string> names)
    {
        var list = names.ToList();
        return list.Count == 0 ? " (there are none)" : $" (declared: {string.Join(", ", list)})";
    }

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_-]*$")]
    private static partial Regex ApiName();

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex ColumnName();

    // ref('dim_company').industry or source('crm', 'companies').industry
    [GeneratedRegex("""^(?<relation>.+\))\s*\.\s*(?<column>[A-Za-z_][A-Za-z0-9_]*)$""")]
    private static partial Regex PeerColumn();
}
