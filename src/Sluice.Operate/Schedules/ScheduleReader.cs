using Cronos;
using Sluice.Core.Project;
using YamlDotNet.RepresentationModel;

namespace Sluice.Operate.Schedules;

/// <summary>
/// Reads the <c>schedules:</c> section of sluice.yml, with every mistake reported at its line:
/// <code>
/// schedules:
///   - name: sync-hourly            # letters, digits, '_' or '-'; unique
///     cron: "0 * * * *"            # five fields (six: seconds first), or @hourly, @daily, @weekly, @monthly, @yearly
///     timezone: Europe/Berlin      # IANA name; default UTC
///     command: sync                # a sluice command line, or a list of them run in order
///     timeout: 30m                 # per attempt; default none
///     retries: 2                   # default 0
///     retry_delay: 1m              # before the first retry, doubling after; default 1m
///     enabled: true
///     notify: [ops-slack]            # channels told when a run fails; see channels: in sluice.yml
/// </code>
/// </summary>
public static class ScheduleReader
{
    private static readonly string[] Keys = ["name", "cron", "timezone", "command", "timeout", "retries", "retry_delay", "enabled", "notify"];

    /// <summary>The schedules of <paramref name="project"/>, in file order; none when it has no <c>schedules:</c> section.</summary>
    /// <exception cref="ConfigurationException">A schedule is not valid; the message names the file, line and fix.</exception>
    public static IReadOnlyList<Schedule> Read(SluiceProject project)
    {
        if (project.Section("schedules") is not { } node || node is YamlScalarNode { Value: null or "" })
        {
            return [];
        }

        var file = project.OpenConfig();
        if (node is not YamlSequenceNode list)
        {
            throw file.Error(node, "schedules must be a list, each item with a name, a cron and a command, such as `- {name: nightly, cron: \"15 3 * * *\", command: build}`.");
        }

        var schedules = new List<Schedule>();
        IReadOnlyList<string>? channels = null;
        foreach (var item in list.Children)
        {
            var schedule = ReadOne(file, item, () => channels ??= [.. Notify.ChannelReader.Read(project).Select(c => c.Name)]);
            if (schedules.FirstOrDefault(s => s.Name == schedule.Name) is { } earlier)
            {
                throw file.Error(item, $"the schedule name '{schedule.Name}' is used twice (also on line {earlier.Line}); give each schedule its own name.");
            }

            schedules.Add(schedule);
        }

        return schedules;
    }

    private static Schedule ReadOne(ConfigFile file, YamlNode node, Func<IReadOnlyList<string>> channels)
    {
        var entries = file.ReadMapping(node, "a schedule", Keys);
        string Required(string key, string example) =>
            entries.TryGetValue(key, out var entry)
                ? file.ReadString(entry.Value, $"schedules.{key}")
                : throw file.Error(node, $"a schedule needs {key}; add `{key}: {example}`.");

        var name = Required("name", "nightly");
        if (!name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-'))
        {
            throw file.Error(entries["name"].Value, $"the schedule name '{name}' may hold only letters, digits, '_' and '-'.");
        }

        var what = $"schedule '{name}'";
        var cronText = Required("cron", "\"15 3 * * *\"");
        var times = ParseCron(file, entries["cron"].Value, cronText, what);
        var zone = entries.TryGetValue("timezone", out var zoneEntry) ? ZoneSetting.Read(file, zoneEntry.Value, $"{what}: timezone") : TimeZoneInfo.Utc;
        if (!entries.TryGetValue("command", out var command))
        {
            throw file.Error(node, $"{what} needs a command; add `command: build` (or a list of commands run in order).");
        }

        var steps = ReadSteps(file, command.Value, what);
        var timeout = entries.TryGetValue("timeout", out var timeoutEntry) ? ConfigValues.Duration(file, timeoutEntry.Value, $"{what}: timeout") : (TimeSpan?)null;
        var retries = entries.TryGetValue("retries", out var retriesEntry) ? file.ReadInt(retriesEntry.Value, $"{what}: retries", 0, 20) : 0;
        var retryDelay = entries.TryGetValue("retry_delay", out var delayEntry) ? ConfigValues.Duration(file, delayEntry.Value, $"{what}: retry_delay") : TimeSpan.FromMinutes(1);
        var enabled = !entries.TryGetValue("enabled", out var enabledEntry) || ConfigValues.Bool(file, enabledEntry.Value, $"{what}: enabled");
        var notify = entries.TryGetValue("notify", out var notifyEntry) ? ReadNotify(file, notifyEntry.Value, what, channels()) : [];
        return new Schedule(name, cronText, times, zone, steps, timeout, retries, retryDelay, enabled, (int)node.Start.Line) { Notify = notify };
    }

    private static IReadOnlyList<string> ReadNotify(ConfigFile file, YamlNode node, string what, IReadOnlyList<string> channels)
    {
        var names = ConfigValues.Names(file, node, $"{what}: notify");
        foreach (var (name, item) in names.Zip(node is YamlSequenceNode list ? list.Children : [node]))
        {
            if (!channels.Contains(name))
            {
                throw file.Error(item, channels.Count == 0
                    ? $"{what}: there is no notification channel '{name}': sluice.yml declares none; add it under channels: (docs/notifications.md)."
                    : $"{what}: there is no notification channel '{name}'; the channels are {string.Join(", ", channels)}.");
            }
        }

        return names;
    }

    private static CronExpression ParseCron(ConfigFile file, YamlNode node, string text, string what)
    {
        try
        {
            // Six fields put seconds first, for schedules more frequent than once a minute.
            var fields = text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
            return CronExpression.Parse(text, fields == 6 ? CronFormat.IncludeSeconds : CronFormat.Standard);
        }
        catch (CronFormatException e)
        {
            throw file.Error(node, $"{what}: '{text}' is not a cron expression ({e.Message.TrimEnd('.')}); write five fields, minute hour day-of-month month day-of-week, such as \"15 3 * * *\" (or six, with seconds first), or @hourly, @daily, @weekly, @monthly.");
        }
    }

    private static IReadOnlyList<ScheduleStep> ReadSteps(ConfigFile file, YamlNode node, string what) => node switch
    {
        YamlScalarNode => [ReadStep(file, node, what)],
        YamlSequenceNode { Children.Count: > 0 } list => [.. list.Children.Select(item => ReadStep(file, item, what))],
        _ => throw file.Error(node, $"{what}: command must be a command line such as `build --select marts`, or a non-empty list of them."),
    };

    private static ScheduleStep ReadStep(ConfigFile file, YamlNode node, string what)
    {
        var text = file.ReadString(node, $"{what}: command");
        var words = CommandLineText.Split(text, out var problem)
            ?? throw file.Error(node, $"{what}: {problem} in `{text}`; close it.");
        if (words.Count == 0)
        {
            throw file.Error(node, $"{what}: command is empty; give a command such as `build`.");
        }

        var command = words[0] is "sluice" && words.Count > 1 ? words[1] : words[0];
        var arguments = words.Skip(words[0] is "sluice" && words.Count > 1 ? 2 : 1).ToList();
        if (!ScheduleStep.Commands.Contains(command))
        {
            throw file.Error(node, $"{what}: '{command}' cannot be scheduled; a schedule runs one of {string.Join(", ", ScheduleStep.Commands)}.");
        }

        for (var i = 0; i < arguments.Count; i++)
        {
            var (option, value) = arguments[i].Split('=', 2) is [var o, var v] ? (o, v) : (arguments[i], i + 1 < arguments.Count ? arguments[i + 1] : null);
            if (ScheduleStep.DateOptions.Contains(option) && (value is null || !RelativeDay.IsDay(value)))
            {
                throw file.Error(node, $"{what}: {option} needs a day: a date such as 2026-03-01, or today, yesterday, today-7 (counted from the day of each run, in the schedule's time zone).");
            }
        }

        return new ScheduleStep(command, arguments) { Line = (int)node.Start.Line };
    }
}
