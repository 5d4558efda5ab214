using System.Globalization;
using Sluice.Core.Project;
using YamlDotNet.RepresentationModel;

namespace Sluice.Operate.Alerts;

/// <summary>
/// Reads alerts.yml at the project's root, with every mistake reported at its line:
/// <code>
/// defaults: {channels: [ops], every: 5m, renotify: 4h}
/// rules:
///   - name: parity-drift
///     severity: critical                  # info, warning (default) or critical
///     parity: {table: app.emails, max_ratio: 0.005}
///     for: 2                              # evaluations in a row before it fires; default 1
///   - name: backfill-slo
///     job_duration: {jobs: ["mrt_*"], p95_above: 300s, window: 7d}
///   - {name: facts-failed, job_failed: {jobs: ["fct_*"], window: 24h}}
///   - {name: facts-rows, job_rows: {jobs: ["fct_*"], drop_above: 50, window: 7d, min_runs: 3}}
///   - {name: checks, check_failed: {checks: ["*"], warnings: false}}
///   - {name: risk-drop, metric: {name: risk_score_avg, change_below: 20, grain: day}}
///   - {name: marts-late, partition_late: {model: mrt_risk_daily, deadline: "06:00", timezone: UTC}}
///   - {name: emails-fresh, freshness: {table: app.emails, max_age: 2h}}
///   - {name: emails-lag, sync_lag: {table: app.emails, max_lag: 30m}}
///   - {name: nightly, schedule: {name: nightly, on: [failed, missed], missed_after: 15m}}
/// </code>
/// </summary>
public static class AlertsReader
{
    /// <summary>The file's name.</summary>
    public const string FileName = "alerts.yml";

    private static readonly string[] Kinds = ["metric", "check_failed", "partition_late", "freshness", "parity", "job_duration", "job_failed", "job_rows", "sync_lag", "schedule"];
    private static readonly string[] CommonKeys = ["name", "severity", "for", "every", "renotify", "channels", "description", "enabled"];
    private static readonly string[] DefaultKeys = ["channels", "every", "renotify"];
    private static readonly TimeSpan DefaultEvery = TimeSpan.FromMinutes(5);

    /// <summary>The rules of alerts.yml in <paramref name="directory"/>; none when there is no such file.</summary>
    /// <exception cref="ConfigurationException">A rule is not valid; the message names the file, line and fix.</exception>
    public static IReadOnlyList<AlertRule> Read(string directory, AlertReferences references, Func<string, string?>? environment = null)
    {
        var path = Path.Combine(directory, FileName);
        if (!File.Exists(path))
        {
            return [];
        }

        var file = new ConfigFile(path, environment ?? Environment.GetEnvironmentVariable);
        if (file.Parse(File.ReadAllText(path)) is not { } root)
        {
            return [];
        }

        var top = file.ReadMapping(root, FileName, ["defaults", "rules"]);
        var (channels, every, renotify) = top.TryGetValue("defaults", out var defaults)
            ? ReadDefaults(file, defaults.Value, references)
            : ([], DefaultEvery, null);
        if (!top.TryGetValue("rules", out var rulesEntry) || rulesEntry.Value is not YamlSequenceNode list)
        {
            throw file.Error(rulesEntry.Value ?? root, "alerts.yml needs rules: a list of rules, each with a name and one condition such as `check_failed: {checks: [\"*\"]}`.");
        }

        var rules = new List<AlertRule>();
        foreach (var item in list.Children)
        {
            var rule = ReadRule(file, item, references, channels, every, renotify);
            if (rules.FirstOrDefault(r => r.Name == rule.Name) is { } earlier)
            {
                throw file.Error(item, $"the rule name '{rule.Name}' is used twice (also on line {earlier.Line}); give each rule its own name.");
            }

            rules.Add(rule);
        }

        return rules;
    }

    private static (IReadOnlyList<string> Channels, TimeSpan Every, TimeSpan? Renotify) ReadDefaults(ConfigFile file, YamlNode node, AlertReferences references)
    {
        var entries = file.ReadMapping(node, "defaults", DefaultKeys);
        return (
            entries.TryGetValue("channels", out var channels) ? ReadChannels(file, channels.Value, references) : [],
            entries.TryGetValue("every", out var every) ? ConfigValues.Duration(file, every.Value, "defaults.every") : DefaultEvery,
            entries.TryGetValue("renotify", out var renotify) ? ConfigValues.Duration(file, renotify.Value, "defaults.renotify") : null);
    }

    private static AlertRule ReadRule(ConfigFile file, YamlNode node, AlertReferences references, IReadOnlyList<string> defaultChannels, TimeSpan defaultEvery, TimeSpan? defaultRenotify)
    {
        var entries = file.ReadMapping(node, "a rule", [.. CommonKeys, .. Kinds]);
        if (!entries.TryGetValue("name", out var nameEntry))
        {
            throw file.Error(node, "a rule needs a name; add `name: parity-drift`.");
        }

        var name = file.ReadString(nameEntry.Value, "name");
        if (!name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-'))
        {
            throw file.Error(nameEntry.Value, $"the rule name '{name}' may hold only letters, digits, '_' and '-'.");
        }

        var what = $"rule '{name}'";
        var kinds = entries.Keys.Where(Kinds.Contains).ToList();
        if (kinds.Count != 1)
        {
            throw file.Error(kinds.Count == 0 ? node : entries[kinds[1]].Key,
                $"{what} needs exactly one condition, one of {string.Join(", ", Kinds)}{(kinds.Count > 1 ? $"; it has {string.Join(" and ", kinds)}: split it into two rules" : string.Empty)}.");
        }

        var condition = AlertConditionReader.Read(file, kinds[0], entries[kinds[0]].Value, what, references);
        var severity = entries.TryGetValue("severity", out var severityEntry)
            ? file.ReadString(severityEntry.Value, $"{what}: severity") switch
            {
                "info" => AlertSeverity.Info,
                "warning" => AlertSeverity.Warning,
                "critical" => AlertSeverity.Critical,
                var other => throw file.Error(severityEntry.Value, $"{what}: severity must be info, warning or critical, not '{other}'."),
            }
            : AlertSeverity.Warning;
        return new AlertRule(
            name,
            condition,
            severity,
            entries.TryGetValue("for", out var forEntry) ? file.ReadInt(forEntry.Value, $"{what}: for", 1, 1000) : 1,
            entries.TryGetValue("every", out var every) ? ConfigValues.Duration(file, every.Value, $"{what}: every") : defaultEvery,
            entries.TryGetValue("renotify", out var renotify) ? ConfigValues.Duration(file, renotify.Value, $"{what}: renotify") : defaultRenotify,
            entries.TryGetValue("channels", out var channels) ? ReadChannels(file, channels.Value, references) : defaultChannels,
            entries.TryGetValue("description", out var description) ? file.ReadString(description.Value, $"{what}: description") : null,
            !entries.TryGetValue("enabled", out var enabled) || ConfigValues.Bool(file, enabled.Value, $"{what}: enabled"),
            (int)node.Start.Line);
    }

    private static IReadOnlyList<string> ReadChannels(ConfigFile file, YamlNode node, AlertReferences references)
    {
        var names = ConfigValues.Names(file, node, "channels");
        foreach (var (name, item) in names.Zip(node is YamlSequenceNode list ? list.Children : [node]))
        {
            if (!references.Channels.Contains(name))
            {
                throw file.Error(item, references.Channels.Count == 0
                    ? $"there is no notification channel '{name}': sluice.yml declares none; add it under channels: (docs/notifications.md)."
                    : $"there is no notification channel '{name}'; the channels are {string.Join(", ", references.Channels.Order(StringComparer.Ordinal))}.");
            }
        }

        return names;
    }

    /// <summary>A number as written, for thresholds.</summary>
    internal static double Number(ConfigFile file, YamlNode node, string what)
    {
        var text = file.ReadString(node, what);
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value)
            ? value
            : throw file.Error(node, $"{what} must be a number, not '{text}'.");
    }
}
