using System.Globalization;
using Sluice.Core.Project;
using YamlDotNet.RepresentationModel;

namespace Sluice.Operate.Alerts;

/// <summary>Reads the condition of an alerts.yml rule, checking what it names against the project.</summary>
internal static class AlertConditionReader
{
    public static AlertCondition Read(ConfigFile file, string kind, YamlNode node, string rule, AlertReferences references)
    {
        var what = $"{rule}: {kind}";
        return kind switch
        {
            "metric" => Metric(file, node, what, references),
            "check_failed" => CheckFailed(file, node, what),
            "partition_late" => PartitionLate(file, node, what, references),
            "freshness" => Freshness(file, node, what, references),
            "parity" => Parity(file, node, what, references),
            "job_duration" => JobDuration(file, node, what, references),
            "job_failed" => JobFailed(file, node, what, references),
            "job_rows" => JobRows(file, node, what, references),
            "sync_lag" => SyncLag(file, node, what, references),
            _ => Schedule(file, node, what, references),
        };
    }

    private static MetricCondition Metric(ConfigFile file, YamlNode node, string what, AlertReferences references)
    {
        var entries = file.ReadMapping(node, what, ["name", "above", "below", "change_above", "change_below", "grain"]);
        var name = Named(file, entries, node, what, "name", references.Metrics, "metric", "metrics.yml");
        var comparisons = new[] { ("above", MetricComparison.Above), ("below", MetricComparison.Below), ("change_above", MetricComparison.ChangeAbove), ("change_below", MetricComparison.ChangeBelow) }
            .Where(c => entries.ContainsKey(c.Item1)).ToList();
        if (comparisons.Count != 1)
        {
            throw file.Error(node, $"{what} needs exactly one of above, below, change_above or change_below (a change is in percent of the previous period).");
        }

        var (key, comparison) = comparisons[0];
        var threshold = AlertsReader.Number(file, entries[key].Value, $"{what}.{key}");
        if (comparison is MetricComparison.ChangeAbove or MetricComparison.ChangeBelow && threshold <= 0)
        {
            throw file.Error(entries[key].Value, $"{what}.{key} is a change in percent and must be above 0, such as 20.");
        }

        var grain = entries.TryGetValue("grain", out var grainEntry) ? file.ReadString(grainEntry.Value, $"{what}.grain") : "day";
        return grain is "day" or "week" or "month"
            ? new MetricCondition(name, comparison, threshold, grain)
            : throw file.Error(grainEntry.Value, $"{what}.grain must be day, week or month, not '{grain}'.");
    }

    private static CheckFailedCondition CheckFailed(ConfigFile file, YamlNode node, string what)
    {
        var entries = Optional(file, node, what, ["checks", "warnings"]);
        return new CheckFailedCondition(
            entries.TryGetValue("checks", out var checks) ? ConfigValues.Names(file, checks.Value, $"{what}.checks") : [],
            entries.TryGetValue("warnings", out var warnings) && ConfigValues.Bool(file, warnings.Value, $"{what}.warnings"));
    }

    private static PartitionLateCondition PartitionLate(ConfigFile file, YamlNode node, string what, AlertReferences references)
    {
        var entries = file.ReadMapping(node, what, ["model", "deadline", "timezone"]);
        var model = Named(file, entries, node, what, "model", references.Models, "model", "the project");
        if (!entries.TryGetValue("deadline", out var deadlineEntry))
        {
            throw file.Error(node, $"{what} needs a deadline, the time of day by which yesterday's partition must be built, such as `deadline: \"06:00\"`.");
        }

        var text = file.ReadString(deadlineEntry.Value, $"{what}.deadline");
        if (!TimeOnly.TryParseExact(text, ["HH:mm", "H:mm"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var deadline))
        {
            throw file.Error(deadlineEntry.Value, $"{what}.deadline must be a time of day such as \"06:00\", not '{text}'.");
        }

        return new PartitionLateCondition(model, deadline, entries.TryGetValue("timezone", out var zone) ? ZoneSetting.Read(file, zone.Value, $"{what}.timezone") : TimeZoneInfo.Utc);
    }

    private static FreshnessCondition Freshness(ConfigFile file, YamlNode node, string what, AlertReferences references)
    {
        var entries = file.ReadMapping(node, what, ["table", "max_age"]);
        return new FreshnessCondition(Table(file, entries, what, references), Required(file, entries, node, what, "max_age", "2h"));
    }

    private static ParityCondition Parity(ConfigFile file, YamlNode node, string what, AlertReferences references)
    {
        var entries = file.ReadMapping(node, what, ["table", "max_ratio"]);
        if (!entries.TryGetValue("max_ratio", out var ratio))
        {
            throw file.Error(node, $"{what} needs max_ratio, the mismatch ratio that may not be passed, such as `max_ratio: 0.005` (0.5%).");
        }

        return new ParityCondition(Table(file, entries, what, references), ConfigValues.Fraction(file, ratio.Value, $"{what}.max_ratio"));
    }

    private static JobDurationCondition JobDuration(ConfigFile file, YamlNode node, string what, AlertReferences references)
    {
        var entries = file.ReadMapping(node, what, ["jobs", "p95_above", "window"]);
        return new JobDurationCondition(
            Jobs(file, entries, what, references),
            Required(file, entries, node, what, "p95_above", "300s"),
            entries.TryGetValue("window", out var window) ? ConfigValues.Duration(file, window.Value, $"{what}.window") : TimeSpan.FromDays(7));
    }

    private static JobFailedCondition JobFailed(ConfigFile file, YamlNode node, string what, AlertReferences references)
    {
        var entries = Optional(file, node, what, ["jobs", "window"]);
        return new JobFailedCondition(
            Jobs(file, entries, what, references),
            entries.TryGetValue("window", out var window) ? ConfigValues.Duration(file, window.Value, $"{what}.window") : TimeSpan.FromHours(24));
    }

    private static JobRowsCondition JobRows(ConfigFile file, YamlNode node, string what, AlertReferences references)
    {
        var entries = file.ReadMapping(node, what, ["jobs", "drop_above", "window", "min_runs"]);
        if (!entries.TryGetValue("drop_above", out var drop))
        {
            throw file.Error(node, $"{what} needs drop_above, the drop in percent of the median rows processed that may not be passed, such as `drop_above: 50`.");
        }

        // A count cannot fall by 100% or more of a positive median: such a threshold would never hold.
        var percent = AlertsReader.Number(file, drop.Value, $"{what}.drop_above");
        if (percent is <= 0 or >= 100)
        {
            throw file.Error(drop.Value, $"{what}.drop_above is a drop in percent of the median and must be above 0 and below 100, such as 50, not {percent.ToString(CultureInfo.InvariantCulture)}.");
        }

        return new JobRowsCondition(
            Jobs(file, entries, what, references),
            percent,
            entries.TryGetValue("window", out var window) ? ConfigValues.Duration(file, window.Value, $"{what}.window") : TimeSpan.FromDays(7),
            entries.TryGetValue("min_runs", out var runs) ? file.ReadInt(runs.Value, $"{what}.min_runs", 1, 1000) : 3);
    }

    // Job names or patterns; each must select a model, seed or snapshot, so that a misspelt
    // pattern is an error at its line rather than a rule that never holds.
    private static IReadOnlyList<string> Jobs(ConfigFile file, IReadOnlyDictionary<string, KeyValuePair<YamlScalarNode, YamlNode>> entries, string what, AlertReferences references)
    {
        if (!entries.TryGetValue("jobs", out var entry))
        {
            return [];
        }

        var patterns = ConfigValues.Names(file, entry.Value, $"{what}.jobs");
        foreach (var (pattern, item) in patterns.Zip(entry.Value is YamlSequenceNode list ? list.Children : [entry.Value]))
        {
            var glob = AlertPatterns.Glob(pattern);
            if (!references.Models.Any(glob.IsMatch))
            {
                throw file.Error(item, references.Models.Count == 0
                    ? $"{what}.jobs: '{pattern}' matches no job: the project has no models, seeds or snapshots."
                    : $"{what}.jobs: '{pattern}' matches no model, seed or snapshot of the project; fix the name or pattern (`sluice ls` lists them).");
            }
        }

        return patterns;
    }

    private static SyncLagCondition SyncLag(ConfigFile file, YamlNode node, string what, AlertReferences references)
    {
        var entries = file.ReadMapping(node, what, ["table", "max_lag"]);
        return new SyncLagCondition(Table(file, entries, what, references), Required(file, entries, node, what, "max_lag", "30m"));
    }

    private static ScheduleCondition Schedule(ConfigFile file, YamlNode node, string what, AlertReferences references)
    {
        var entries = Optional(file, node, what, ["name", "on", "missed_after"]);
        var name = entries.ContainsKey("name") ? Named(file, entries, node, what, "name", references.Schedules, "schedule", "sluice.yml") : null;
        var on = entries.TryGetValue("on", out var onEntry) ? ConfigValues.Names(file, onEntry.Value, $"{what}.on") : ["failed", "missed"];
        if (on.FirstOrDefault(o => o is not ("failed" or "missed")) is { } other)
        {
            throw file.Error(onEntry.Value, $"{what}.on takes failed and missed, not '{other}'.");
        }

        return new ScheduleCondition(
            name,
            on.Contains("failed"),
            on.Contains("missed"),
            entries.TryGetValue("missed_after", out var after) ? ConfigValues.Duration(file, after.Value, $"{what}.missed_after") : TimeSpan.FromMinutes(15));
    }

    // A condition whose settings all have defaults may be written without any: `check_failed:`.
    private static IReadOnlyDictionary<string, KeyValuePair<YamlScalarNode, YamlNode>> Optional(ConfigFile file, YamlNode node, string what, string[] keys) =>
        node is YamlScalarNode { Value: null or "" } ? new Dictionary<string, KeyValuePair<YamlScalarNode, YamlNode>>() : file.ReadMapping(node, what, keys);

    private static string Named(
        ConfigFile file, IReadOnlyDictionary<string, KeyValuePair<YamlScalarNode, YamlNode>> entries, YamlNode node, string what, string key,
        IReadOnlySet<string> known, string thing, string where)
    {
        if (!entries.TryGetValue(key, out var entry))
        {
            throw file.Error(node, $"{what} needs {key}, the {thing} to watch.");
        }

        var name = file.ReadString(entry.Value, $"{what}.{key}");
        return known.Contains(name)
            ? name
            : throw file.Error(entry.Value, known.Count == 0
                ? $"{what}: there is no {thing} '{name}': {where} has none."
                : $"{what}: there is no {thing} '{name}' in {where}; there are {string.Join(", ", known.Order(StringComparer.Ordinal).Take(20))}{(known.Count > 20 ? ", …" : string.Empty)}.");
    }

    private static string? Table(ConfigFile file, IReadOnlyDictionary<string, KeyValuePair<YamlScalarNode, YamlNode>> entries, string what, AlertReferences references)
    {
        if (!entries.TryGetValue("table", out var entry))
        {
            return null;
        }

        var table = file.ReadString(entry.Value, $"{what}.table");
        return references.IsSynced(table)
            ? table
            : throw file.Error(entry.Value, references.Tables.Count == 0
                ? $"{what}: there is no synced table '{table}': sluice.yml declares no sources."
                : $"{what}: there is no synced table '{table}'; write source.table, one of {string.Join(", ", references.Tables.Order(StringComparer.Ordinal).Take(20))}.");
    }

    private static TimeSpan Required(ConfigFile file, IReadOnlyDictionary<string, KeyValuePair<YamlScalarNode, YamlNode>> entries, YamlNode node, string what, string key, string example) =>
        entries.TryGetValue(key, out var entry)
            ? ConfigValues.Duration(file, entry.Value, $"{what}.{key}")
            : throw file.Error(node, $"{what} needs {key}, such as `{key}: {example}`.");
}
