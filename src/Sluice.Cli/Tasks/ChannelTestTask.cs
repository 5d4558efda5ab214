using System.CommandLine;
using Sluice.Core.Project;
using Sluice.Operate.Notify;
using Sluice.Warehouses;

namespace Sluice.Cli.Tasks;

/// <summary>
/// <c>sluice channels test NAME</c>: sends a test notification to one channel, with its retries
/// and timeout, reports each failed attempt and the outcome, and records the delivery in
/// <c>_sluice.notifications</c> like any other. Exit code 0 when it was delivered, 1 when not.
/// </summary>
internal sealed class ChannelTestTask(CliContext context, ParseResult parseResult)
{
    // Optional, so that a missing name gets the channels listed rather than a bare usage error.
    private static readonly Argument<string?> NameArgument = new("name")
    {
        Description = "The channel to test, as named in sluice.yml.",
        Arity = ArgumentArity.ZeroOrOne,
    };

    public static Command CreateCommand(GlobalOptions globals)
    {
        var command = new Command("test", "Send a test notification to a channel (with its retries and timeout) and report whether it was delivered: exit code 0 if so, 1 if not.")
        {
            NameArgument,
        };

        // Not VerbRunner.SetAction: the server hand-off goes by the verb's name, and `test` is
        // also the verb that runs the checks, which a server would be asked to run.
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var context = globals.Read(parseResult);
            await Task.Yield();
            try
            {
                return await new ChannelTestTask(context, parseResult).RunAsync(cancellationToken);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                return ErrorReporter.Report(context, e, "testing the channel failed");
            }
        });
        return command;
    }

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var project = ProjectLoader.Load(context.ProjectDirectory);
        var channels = ChannelReader.Read(project);
        var name = parseResult.GetValue(NameArgument);
        if (channels.FirstOrDefault(c => c.Name == name) is not { } channel)
        {
            ErrorReporter.WriteError(context, (name, channels.Count) switch
            {
                (_, 0) => $"{project.ConfigPath} has no channels; add them under channels: (see docs/notifications.md).",
                (null, _) => $"name the channel to test: sluice channels test NAME; the channels are {string.Join(", ", channels.Select(c => c.Name))}.",
                _ => $"there is no channel '{name}'; the channels are {string.Join(", ", channels.Select(c => c.Name))}.",
            });
            return ExitCodes.Usage;
        }

        if (!channel.Enabled)
        {
            await context.Error.WriteLineAsync($"note: channel {channel.Name} is disabled (enabled: false): nothing else is sent to it, but it is tested.");
        }

        await using var warehouse = WarehouseFactory.Create(project.Warehouse, project.Directory);
        using var notifier = new Notifier(project.Name, warehouse.OpenSessionAsync, TimeProvider.System, Report);
        await context.Error.WriteLineAsync($"Sending a test notification to {channel} …");
        var delivery = await notifier.SendAsync(Notifications.Test(project.Name, channel, DateTimeOffset.UtcNow), channel, cancellationToken);

        var attempts = $"{delivery.Attempts} attempt{(delivery.Attempts == 1 ? "" : "s")}";
        if (delivery.Delivered)
        {
            await context.Error.WriteLineAsync($"Delivered to {channel.Name} ({attempts}, {(delivery.CompletedAt - delivery.StartedAt).TotalSeconds:0.0} s; delivery {delivery.Id}).");
            return ExitCodes.Success;
        }

        ErrorReporter.WriteError(context, $"the test notification to {channel.Name} was not delivered ({attempts}): {delivery.LastError}");
        return cancellationToken.IsCancellationRequested ? ExitCodes.Cancelled : ExitCodes.Failure;
    }

    private void Report(DeliveryEvent e)
    {
        var line = e.Kind switch
        {
            DeliveryEventKind.Retrying => $"attempt {e.Attempt} failed: {e.Error}; trying again in {e.RetryIn!.Value.TotalSeconds:0.###} s",
            DeliveryEventKind.NotRecorded => $"note: {e.Error}",
            _ => null,
        };
        if (line is not null)
        {
            context.Error.WriteLine(line);
        }
    }
}
