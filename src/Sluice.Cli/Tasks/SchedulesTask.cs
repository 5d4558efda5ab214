using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Sluice.Cli.Output;
using Sluice.Core.Project;
using Sluice.Operate.Schedules;
using Sluice.Warehouses;
using Spectre.Console;

namespace Sluice.Cli.Tasks;

/// <summary>
/// <c>sluice schedules</c>: the project's schedules with their next run in the local time zone,
/// and how the last tick went when the warehouse can be read.
/// </summary>
internal sealed class SchedulesTask(CliContext context, ParseResult parseResult)
{
    public static Command CreateCommand(GlobalOptions globals)
    {
        var command = new Command("schedules", "List the project's schedules: when each runs next (in this machine's time zone), its command, and how its last run went.")
        {
            ModelOptions.Format,
        };
        VerbRunner.SetAction(command, globals, "listing the schedules failed", (parseResult, context, cancellationToken) =>
            new SchedulesTask(context, parseResult).RunAsync(cancellationToken));
        return command;
    }

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var project = ProjectLoader.Load(context.ProjectDirectory);
        var schedules = ScheduleReader.Read(project);
        var (standings, unread) = await ReadStandingsAsync(project, cancellationToken);
        var now = DateTimeOffset.UtcNow;
        var rows = schedules.Select(s =>
        {
            var standing = standings.GetValueOrDefault(s.Name);
            var next = s.NextAfter(standing?.LastTick is { } last && last > now.AddYears(-1) ? Max(last, now) : now);
            return (Schedule: s, Standing: standing, Next: next);
        }).ToList();

        if (parseResult.GetRequiredValue(ModelOptions.Format) == "json")
        {
            await context.Out.WriteLineAsync(JsonSerializer.Serialize(rows.Select(r => new Dictionary<string, object?>
            {
                ["name"] = r.Schedule.Name,
                ["cron"] = r.Schedule.Cron,
                ["timezone"] = r.Schedule.Zone.Id,
                ["commands"] = r.Schedule.Steps.Select(s => s.Text).ToList(),
                ["enabled"] = r.Schedule.Enabled,
                ["next_run"] = r.Next,
                ["last_tick"] = r.Standing?.LastTick,
                ["last_status"] = r.Standing?.LastStatus,
            })));
            return ExitCodes.Success;
        }

        if (schedules.Count == 0)
        {
            await context.Error.WriteLineAsync($"{project.ConfigPath} has no schedules; add some under schedules: (see docs/operate.md).");
            return ExitCodes.Success;
        }

        var zone = TimeZoneInfo.Local;
        var console = Consoles.For(context.Out, !Console.IsOutputRedirected && context.Out == Console.Out);
        var table = Tables.Create(("schedule", false), ("cron", false), ("zone", false), ($"next run ({zone.Id})", false), ("command", false), ("last tick", false), ("last status", false));
        foreach (var (schedule, standing, next) in rows)
        {
            table.AddRow(
                new Text(schedule.Name),
                new Text(schedule.Cron),
                new Text(schedule.Zone.Id),
                new Text(next is { } due ? Local(due, zone) : "disabled"),
                new Text(string.Join("; ", schedule.Steps.Select(s => s.Text))),
                new Text(standing?.LastTick is { } tick ? Local(tick, zone) : "-"),
                new Text(standing?.LastStatus ?? "-"));
        }

        console.Write(table);
        if (unread is not null)
        {
            await context.Error.WriteLineAsync($"note: how the last runs went is not shown: {unread}");
        }

        return ExitCodes.Success;
    }

    // The state is a nicety here: a warehouse that is held by another process, unreachable or
    // not set up yet still lets the schedules be listed.
    private static async Task<(IReadOnlyDictionary<string, ScheduleStanding> Standings, string? Unread)> ReadStandingsAsync(SluiceProject project, CancellationToken cancellationToken)
    {
        try
        {
            await using var warehouse = WarehouseFactory.Create(project.Warehouse, project.Directory);
            await using var session = await warehouse.OpenSessionAsync(cancellationToken);
            if (await session.DescribeTableAsync(ScheduleStore.Standings, cancellationToken) is null)
            {
                return (new Dictionary<string, ScheduleStanding>(), null);
            }

            return (await ScheduleStore.LoadAsync(session, cancellationToken), null);
        }
        catch (SluiceException e)
        {
            return (new Dictionary<string, ScheduleStanding>(), e.Message);
        }
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private static string Local(DateTimeOffset time, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTime(time, zone).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
}
