using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Sluice.Operate.Notify;

namespace Sluice.Operate.Tests;

public sealed class CommandDeliveryTests : IAsyncDisposable
{
    private readonly NotifyHarness _harness = new();

    public ValueTask DisposeAsync() => _harness.DisposeAsync();

    [Fact]
    public async Task A_command_channel_gets_the_body_on_standard_input_in_the_project_folder()
    {
        var channel = _harness.Channel("""
            channels:
              - name: log
                type: command
                command: [/bin/sh, -c, 'cat > "$1"', sh, received.json]
            """);

        var delivery = await _harness.Notifier.SendAsync(NotifyHarness.JobFailed(), channel);

        Assert.True(delivery.Delivered, delivery.LastError);
        Assert.Equal((1, 0, null), (delivery.Attempts, delivery.ExitCode, delivery.HttpStatus));
        var body = JsonDocument.Parse(File.ReadAllText(Path.Combine(_harness.Directory, "received.json"))).RootElement;
        Assert.Equal(
            (1, delivery.Id, "job_failed", "log", "nightly"),
            (body.GetProperty("version").GetInt32(), body.GetProperty("id").GetString(), body.GetProperty("kind").GetString(), body.GetProperty("channel").GetString(), body.GetProperty("fields").GetProperty("schedule").GetString()));
        var row = Assert.Single(await _harness.RowsAsync());
        Assert.Equal(("command", "delivered", "0"), (row["channel_type"], row["status"], row["exit_code"]));
    }

    [Fact]
    public async Task A_command_that_exits_non_zero_fails_with_the_end_of_its_error_output_after_its_retries()
    {
        var channel = _harness.Channel("""
            channels:
              - name: pager
                type: command
                command: [/bin/sh, -c, 'cat > /dev/null; echo "no route to the pager" >&2; exit 3']
                retries: 1
                retry_delay: 1s
            """);

        var delivery = await _harness.DriveAsync(_harness.Notifier.SendAsync(NotifyHarness.JobFailed(), channel));

        Assert.Equal((DeliveryStatus.Failed, 2, 3), (delivery.Status, delivery.Attempts, delivery.ExitCode));
        Assert.Equal("`sh` exited with code 3: no route to the pager", delivery.LastError);
        var row = Assert.Single(await _harness.RowsAsync());
        Assert.Equal(("failed", "2", "3", "1000"), (row["status"], row["attempts"], row["exit_code"], row["duration_ms"]));
    }

    [Fact]
    public async Task A_command_that_hangs_is_killed_with_its_children_at_the_timeout()
    {
        var channel = _harness.Channel("""
            channels:
              - name: stuck
                type: command
                command: [/bin/sh, -c, 'echo $$ > pid; cat > started; exec sleep 600']
                retries: 0
                timeout: 3s
            """);
        var started = Path.Combine(_harness.Directory, "started");

        var advanced = false;
        var delivery = await _harness.DriveAsync(_harness.Notifier.SendAsync(NotifyHarness.JobFailed(), channel), idle: () =>
        {
            if (!advanced && File.Exists(started))
            {
                advanced = true;
                _harness.Clock.Advance(TimeSpan.FromSeconds(3));
            }
        });

        Assert.Equal((DeliveryStatus.Failed, 1, null), (delivery.Status, delivery.Attempts, delivery.ExitCode));
        Assert.Equal("the command did not finish within the channel's timeout of 3s and was stopped", delivery.LastError);
        var pid = int.Parse(File.ReadAllText(Path.Combine(_harness.Directory, "pid")).Trim(), CultureInfo.InvariantCulture);
        Assert.Throws<ArgumentException>(() => Process.GetProcessById(pid));
    }

    [Fact]
    public async Task A_command_that_exits_0_is_delivered_even_when_a_child_it_left_running_holds_its_output()
    {
        var channel = _harness.Channel("""
            channels:
              - name: detach
                type: command
                command: [/bin/sh, -c, 'cat > /dev/null; sleep 600 & echo $! > child; exit 0']
            """);

        try
        {
            // No clock is moved: it must end without waiting for the child.
            var delivery = await _harness.Notifier.SendAsync(NotifyHarness.JobFailed(), channel).WaitAsync(TimeSpan.FromSeconds(60));

            Assert.True(delivery.Delivered, delivery.LastError);
        }
        finally
        {
            var child = Path.Combine(_harness.Directory, "child");
            if (File.Exists(child) && int.TryParse(File.ReadAllText(child).Trim(), CultureInfo.InvariantCulture, out var pid))
            {
                try
                {
                    using var process = Process.GetProcessById(pid);
                    process.Kill();
                }
                catch (ArgumentException)
                {
                    // It has gone already.
                }
            }
        }
    }

    [Fact]
    public async Task A_command_that_cannot_start_fails_at_once_without_retries()
    {
        var channel = _harness.Channel("channels:\n  - {name: gone, type: command, command: [./no-such-notifier, --now]}\n");

        var delivery = await _harness.Notifier.SendAsync(NotifyHarness.JobFailed(), channel);

        Assert.Equal((DeliveryStatus.Failed, 1), (delivery.Status, delivery.Attempts));
        Assert.StartsWith("`no-such-notifier` could not be started:", delivery.LastError);
        Assert.DoesNotContain(_harness.Events, e => e.Kind == DeliveryEventKind.Retrying);
    }
}
