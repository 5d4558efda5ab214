using Sluice.Core.Project;
using YamlDotNet.RepresentationModel;

namespace Sluice.Operate.Retention;

/// <summary>
/// Reads the <c>retention:</c> section of sluice.yml, with every mistake reported at its line:
/// <code>
/// retention:
///   default: 90d           # every history table not named below; `forever` keeps everything
///   job_runs: 365d
///   check_results: 30d     # their failing-row samples are in the same rows
///   sync_runs: 90d
///   alert_events: 180d
///   notifications: 30d
/// </code>
/// The keys are <c>default</c> and the history tables of <see cref="HistoryTables"/>. Without the
/// section every history table keeps 90 days (<see cref="RetentionPolicy.Standard"/>).
/// </summary>
public static class RetentionReader
{
    private const string Forever = "forever";

    /// <summary>The keys the section may have: <c>default</c> and each history table.</summary>
    public static IReadOnlyList<string> Keys { get; } = ["default", .. HistoryTables.All.Select(t => t.Name)];

    /// <summary>The retention policy of <paramref name="project"/>.</summary>
    /// <exception cref="ConfigurationException">The section is not valid; the message names the file, line and fix.</exception>
    public static RetentionPolicy Read(SluiceProject project)
    {
        if (project.Section("retention") is not { } node || node is YamlScalarNode { Value: null or "" })
        {
            return RetentionPolicy.Standard;
        }

        var file = project.OpenConfig();
        if (node is not YamlMappingNode mapping)
        {
            throw file.Error(node, $"retention must be a mapping of history tables to how long their rows are kept, such as `retention: {{default: 90d, job_runs: 365d}}`; the keys are {string.Join(", ", Keys)}.");
        }

        foreach (var (key, _) in mapping.Children)
        {
            if (key is YamlScalarNode { Value: { } name } && HistoryTables.StateTables.Contains(name))
            {
                throw file.Error(key, $"retention cannot name {name}: _sluice.{name} holds state the pipeline depends on, which is never pruned; the keys are {string.Join(", ", Keys)}.");
            }
        }

        var entries = file.ReadMapping(node, "retention", Keys);
        var limits = new Dictionary<string, TimeSpan?>(StringComparer.Ordinal);
        TimeSpan? fallback = RetentionPolicy.DefaultLimit;
        foreach (var (key, entry) in entries)
        {
            var limit = ReadLimit(file, entry.Value, $"retention.{key}");
            if (key == "default")
            {
                fallback = limit;
            }
            else
            {
                limits[key] = limit;
            }
        }

        return new RetentionPolicy(fallback, limits);
    }

    private static TimeSpan? ReadLimit(ConfigFile file, YamlNode node, string what)
    {
        var text = file.ReadString(node, what);
        if (text == Forever)
        {
            return null;
        }

        TimeSpan? parsed;
        try
        {
            parsed = Durations.TryParse(text);
        }
        catch (Exception e) when (e is OverflowException or ArgumentOutOfRangeException)
        {
            throw file.Error(node, $"{what} is {text}, longer than a duration can be; write {Forever} to keep everything.");
        }

        return parsed switch
        {
            { } limit when limit > TimeSpan.Zero => limit,
            { } => throw file.Error(node, $"{what} is {text}, which would keep nothing; give a duration longer than zero, such as 30d, or {Forever} to keep everything."),
            null => throw file.Error(node, $"{what} must be a duration such as 30d, 12h or 2d12h, or {Forever}, not '{SecretMasker.Mask(text)}'."),
        };
    }
}
