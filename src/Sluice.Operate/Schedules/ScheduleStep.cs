using System.Globalization;

namespace Sluice.Operate.Schedules;

/// <summary>
/// One command a schedule runs, as written on sluice's command line: <c>build --select marts</c>.
/// Date options may name days relative to the day of the run in the schedule's zone —
/// <c>today</c>, <c>yesterday</c>, <c>today-7</c> — so that <c>backfill --from today-7 --to yesterday</c>
/// covers the week before each run.
/// </summary>
/// <param name="Command">The verb: one of <see cref="Commands"/>.</param>
/// <param name="Arguments">Its options and values, with relative dates unresolved.</param>
public sealed record ScheduleStep(string Command, IReadOnlyList<string> Arguments)
{
    /// <summary>The verbs a schedule may run: those that move, build or check data.</summary>
    public static IReadOnlyList<string> Commands { get; } = ["sync", "parity", "run", "build", "test", "seed", "snapshot", "backfill", "export", "prune"];

    /// <summary>The options whose value is a day, and may be relative.</summary>
    public static IReadOnlyList<string> DateOptions { get; } = ["--date", "--from", "--to"];

    /// <summary>The line of sluice.yml it is written on, for messages.</summary>
    public int Line { get; init; }

    /// <summary>The step as one line, as the user wrote it.</summary>
    public string Text => string.Join(' ', [Command, .. Arguments.Select(Quote)]);

    /// <summary>The arguments with relative dates turned into days, counted from <paramref name="today"/>.</summary>
    public IReadOnlyList<string> ArgumentsOn(DateOnly today)
    {
        var resolved = new List<string>(Arguments.Count);
        for (var i = 0; i < Arguments.Count; i++)
        {
            var argument = Arguments[i];
            if (i > 0 && DateOptions.Contains(Arguments[i - 1]) && RelativeDay.TryResolve(argument, today) is { } day)
            {
                argument = day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            }
            else if (DateOptions.FirstOrDefault(o => argument.StartsWith(o + "=", StringComparison.Ordinal)) is { } option
                && RelativeDay.TryResolve(argument[(option.Length + 1)..], today) is { } inline)
            {
                argument = $"{option}={inline.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}";
            }

            resolved.Add(argument);
        }

        return resolved;
    }

    private static string Quote(string argument) =>
        argument.Length > 0 && argument.All(c => !char.IsWhiteSpace(c) && c is not '"' and not '\'') ? argument : $"'{argument.Replace("'", "\\'", StringComparison.Ordinal)}'";
}
