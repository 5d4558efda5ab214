using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Sluice.Cli.Output;
using Sluice.Core.Project;
using Sluice.Operate.Events;
using Sluice.Operate.Notify;
using Sluice.Warehouses;
using Spectre.Console;

namespace Sluice.Cli.Tasks;

/// <summary>
/// <c>sluice channels</c>: the project's notification channels with where they deliver (URLs
/// masked), how hard they try, the events (<c>events:</c>) they get, and how their last delivery
/// went when the warehouse can be read.
/// <c>sluice channels test NAME</c> (<see cref="ChannelTestTask"/>) checks one.
/// </summary>
internal sealed class ChannelsTask(CliContext context, ParseResult parseResult)
{
    public static Command CreateCommand(GlobalOptions globals)
    {
        var command = new Command("channels", "List the project's notification channels (channels: in sluice.yml): type, where they deliver (URLs masked), retries, timeout, and how the last delivery went.")
        {
            ModelOptions.Format,
            ChannelTestTask.CreateCommand(globals),
        };
        VerbRunner.SetAction(command, globals, "listing the channels failed", (parseResult, context, cancellationToken) =>
            new ChannelsTask(context, parseResult).RunAsync(cancellationToken));
        return command;
    }

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var project = ProjectLoader.Load(context.ProjectDirectory);
        var channels = ChannelReader.Read(project);
        var events = EventReader.Read(project, channels);
        var (lastDeliveries, unread) = channels.Count == 0
            ? (new Dictionary<string, Delivery>(), null)
            : await ReadLastDeliveriesAsync(project, cancellationToken);

        if (parseResult.GetRequiredValue(ModelOptions.Format) == "json")
        {
            await context.Out.WriteLineAsync(JsonSerializer.Serialize(channels.Select(c =>
            {
                var last = lastDeliveries.GetValueOrDefault(c.Name);
                return new Dictionary<string, object?>
                {
                    ["name"] = c.Name,
                    ["type"] = c.Type,
                    ["target"] = c.Target,
                    ["retries"] = c.Retries,
                    ["retry_delay_seconds"] = c.RetryDelay.TotalSeconds,
                    ["timeout_seconds"] = c.Timeout.TotalSeconds,
                    ["enabled"] = c.Enabled,
                    ["events"] = events.EventsOf(c.Name),
                    ["last_delivery"] = last is null ? null : new Dictionary<string, object?>
                    {
                        ["status"] = last.Status,
                        ["kind"] = last.Kind,
                        ["attempts"] = last.Attempts,
                        ["completed_at"] = last.CompletedAt,
                        ["error"] = last.Delivered ? null : last.LastError,
                    },
                };
            })));
            return ExitCodes.Success;
        }

        if (channels.Count == 0)
        {
            await context.Error.WriteLineAsync($"{project.ConfigPath} has no channels; add some under channels: (see docs/notifications.md), such as `- {{name: data-team, type: slack, url: \"${{SLACK_WEBHOOK_URL}}\"}}`.");
            return ExitCodes.Success;
        }

        var console = Consoles.For(context.Out, !Console.IsOutputRedirected && context.Out == Console.Out);
        var table = Tables.Create(("channel", false), ("type", false), ("target", false), ("retries", true), ("retry delay", true), ("timeout", true), ("enabled", false), ("events", false), ("last delivery", false));
        foreach (var channel in channels)
        {
            table.AddRow(
                new Text(channel.Name),
                new Text(channel.Type),
                new Text(channel.Target),
                new Text(channel.Retries.ToString(CultureInfo.InvariantCulture)),
                new Text(Seconds(channel.RetryDelay)),
                new Text(Seconds(channel.Timeout)),
                new Text(channel.Enabled ? "yes" : "no"),
                new Text(events.EventsOf(channel.Name) is { Count: > 0 } sent ? string.Join(", ", sent) : "-"),
                new Text(lastDeliveries.GetValueOrDefault(channel.Name) is { } last ? Describe(last) : "-"));
        }

        console.Write(table);
        if (unread is not null)
        {
            await context.Error.WriteLineAsync($"note: the last deliveries are not shown: {unread}");
        }

        return ExitCodes.Success;
    }

    // The records are a nicety here: a warehouse that is held by another process, unreachable
    // or not set up yet still lets the channels be listed.
    private static async Task<(IReadOnlyDictionary<string, Delivery> Deliveries, string? Unread)> ReadLastDeliveriesAsync(SluiceProject project, CancellationToken cancellationToken)
    {
        try
        {
            await using var warehouse = WarehouseFactory.Create(project.Warehouse, project.Directory);
            await using var session = await warehouse.OpenSessionAsync(cancellationToken);
            if (await session.DescribeTableAsync(NotificationStore.Table, cancellationToken) is null)
            {
                return (new Dictionary<string, Delivery>(), null);
            }

            return (await NotificationStore.LastByChannelAsync(session, cancellationToken), null);
        }
        catch (SluiceException e)
        {
            return (new Dictionary<string, Delivery>(), e.Message);
        }
    }

    private static string Describe(Delivery last)
    {
        var when = TimeZoneInfo.ConvertTime(last.CompletedAt, TimeZoneInfo.Local).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
        return $"{last.Status} {when} ({last.Kind}, {last.Attempts} attempt{(last.Attempts == 1 ? "" : "s")})";
    }

    private static string Seconds(TimeSpan duration) => $"{duration.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)}s";
}
