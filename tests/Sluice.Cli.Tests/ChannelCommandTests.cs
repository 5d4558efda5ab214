using System.Text.Json;
using Sluice.Testing;

namespace Sluice.Cli.Tests;

public sealed class ChannelCommandTests : IDisposable
{
    // Distinctive, so that any trace of them in the output is found.
    private const string HookSecret = "Cq4vXh8Rz2Lw6Np";
    private const string TokenSecret = "Dm7tKs3Yf9Bg1Jr";

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Channels_are_listed_with_masked_urls_and_a_test_notification_is_delivered_and_recorded()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var environment = new Dictionary<string, string?>
        {
            ["SLACK_WEBHOOK_URL"] = receiver.UrlFor($"services/T0/B0/{HookSecret}").AbsoluteUri,
            ["PAGER_TOKEN"] = TokenSecret,
        };
        var directory = await InitAsync($$"""
            channels:
              - name: data-team
                type: slack
                url: ${SLACK_WEBHOOK_URL}
              - name: pager
                type: webhook
                url: "{{receiver.UrlFor("pager")}}"
                headers:
                  Authorization: Bearer ${PAGER_TOKEN}
                retries: 1
              - name: log
                type: command
                command: [/bin/sh, -c, 'cat > "$1"', sh, got.json]
                enabled: false
            """);

        var listed = await RunAsync(directory, environment, "channels");
        Assert.True(listed.ExitCode == 0, listed.ToString());
        Assert.Contains($"{receiver.Url}***", listed.Stdout);
        Assert.Contains("/bin/sh -c 'cat > \"$1\"' sh got.json", listed.Stdout);

        var slack = await RunAsync(directory, environment, "channels", "test", "data-team");
        Assert.True(slack.ExitCode == 0, slack.ToString());
        Assert.Contains("Delivered to data-team (1 attempt", slack.Stderr);
        var message = JsonDocument.Parse(Assert.Single(receiver.Requests).Body).RootElement;
        var project = Path.GetFileName(directory);
        Assert.Equal($":information_source: Test notification from {project}", message.GetProperty("blocks")[0].GetProperty("text").GetProperty("text").GetString());

        var pager = await RunAsync(directory, environment, "channels", "test", "pager");
        Assert.True(pager.ExitCode == 0, pager.ToString());
        var request = receiver.Requests[1];
        Assert.Equal(("/pager", $"Bearer {TokenSecret}"), (request.Path, request.Headers["authorization"]));
        Assert.Equal("test", JsonDocument.Parse(request.Body).RootElement.GetProperty("kind").GetString());

        // A disabled channel is still tested, with a note.
        var log = await RunAsync(directory, environment, "channels", "test", "log");
        Assert.True(log.ExitCode == 0, log.ToString());
        Assert.Contains("channel log is disabled", log.Stderr);
        var body = JsonDocument.Parse(File.ReadAllText(Path.Combine(directory, "got.json"))).RootElement;
        Assert.Equal((1, "test", "log", project), (body.GetProperty("version").GetInt32(), body.GetProperty("kind").GetString(), body.GetProperty("channel").GetString(), body.GetProperty("project").GetString()));

        var json = await RunAsync(directory, environment, "channels", "--format", "json");
        Assert.True(json.ExitCode == 0, json.ToString());
        var channels = JsonDocument.Parse(json.Stdout).RootElement.EnumerateArray().ToList();
        Assert.Equal(["data-team", "pager", "log"], channels.Select(c => c.GetProperty("name").GetString()));
        Assert.Equal($"{receiver.Url}***", channels[0].GetProperty("target").GetString());
        Assert.All(channels, c => Assert.Equal(("delivered", "test"), (c.GetProperty("last_delivery").GetProperty("status").GetString(), c.GetProperty("last_delivery").GetProperty("kind").GetString())));

        var rows = await QueryAsync(directory, environment, "select channel, channel_type, kind, status, attempts from _sluice.notifications order by started_at");
        Assert.Equal([["data-team", "slack", "test", "delivered", "1"], ["pager", "webhook", "test", "delivered", "1"], ["log", "command", "test", "delivered", "1"]], rows);

        foreach (var result in new[] { listed, slack, pager, log, json })
        {
            Assert.DoesNotContain(HookSecret, result.Stdout + result.Stderr);
            Assert.DoesNotContain(TokenSecret, result.Stdout + result.Stderr);
        }
    }

    [Fact]
    public async Task A_test_that_is_not_delivered_reports_each_attempt_and_exits_with_code_1()
    {
        await using var receiver = await WebhookReceiver.StartAsync(_ => ReceiverAnswer.Status(500, $"no hook at /hooks/{HookSecret}"));
        var environment = new Dictionary<string, string?> { ["HOOK_URL"] = receiver.UrlFor($"hooks/{HookSecret}").AbsoluteUri };
        var directory = await InitAsync("""
            channels:
              - {name: hook, type: webhook, url: "${HOOK_URL}", retries: 2, retry_delay: 100ms}
            """);

        var result = await RunAsync(directory, environment, "channels", "test", "hook", "--verbose");

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("attempt 1 failed: HTTP 500 (Internal Server Error): no hook at /***; trying again in 0.1 s", result.Stderr);
        Assert.Contains("attempt 2 failed: HTTP 500 (Internal Server Error): no hook at /***; trying again in 0.2 s", result.Stderr);
        Assert.Contains("error: the test notification to hook was not delivered (3 attempts): HTTP 500 (Internal Server Error): no hook at /***", result.Stderr);
        Assert.Equal(3, receiver.Requests.Count);
        Assert.DoesNotContain(HookSecret, result.Stdout + result.Stderr);

        var rows = await QueryAsync(directory, environment, "select status, attempts, last_error from _sluice.notifications");
        Assert.Equal([["failed", "3", "HTTP 500 (Internal Server Error): no hook at /***"]], rows);
    }

    [Fact]
    public async Task An_unknown_channel_a_missing_name_and_a_bad_channel_exit_with_code_2()
    {
        var directory = await InitAsync("""
            channels:
              - {name: hook, type: webhook, url: "https://hooks.example.com/x"}
            """);

        var unknown = await RunAsync(directory, null, "channels", "test", "pager");
        Assert.True(unknown.ExitCode == 2, unknown.ToString());
        Assert.Contains("error: there is no channel 'pager'; the channels are hook.", unknown.Stderr);

        var unnamed = await RunAsync(directory, null, "channels", "test");
        Assert.True(unnamed.ExitCode == 2, unnamed.ToString());
        Assert.Contains("error: name the channel to test: sluice channels test NAME; the channels are hook.", unnamed.Stderr);

        var yml = Path.Combine(directory, "sluice.yml");
        await File.AppendAllTextAsync(yml, "  - {name: slack, type: slack, url: \"${UNSET_SLACK_URL_FOR_TEST}\"}\n");
        var line = File.ReadAllLines(yml).Length;
        foreach (var verb in new[] { "channels", "channels test hook" })
        {
            var result = await RunAsync(directory, null, verb.Split(' '));
            Assert.True(result.ExitCode == 2, result.ToString());
            Assert.Contains($"sluice.yml:{line}:", result.Stderr);
            Assert.Contains("environment variable UNSET_SLACK_URL_FOR_TEST is not set", result.Stderr);
        }
    }

    private async Task<string> InitAsync(string channels)
    {
        var directory = _temp.Combine($"project{Guid.NewGuid():N}"[..16]);
        var init = await SluiceProcess.RunAsync(_temp.Path, "init", directory);
        Assert.True(init.ExitCode == 0, init.ToString());
        await File.AppendAllTextAsync(Path.Combine(directory, "sluice.yml"), "\n" + channels + "\n");
        return directory;
    }

    private static Task<SluiceResult> RunAsync(string directory, IReadOnlyDictionary<string, string?>? environment, params string[] arguments) =>
        SluiceProcess.RunAsync(directory, arguments, standardInput: null, environment);

    private static async Task<List<string[]>> QueryAsync(string directory, IReadOnlyDictionary<string, string?> environment, string sql)
    {
        var result = await RunAsync(directory, environment, "query", sql, "--format", "csv");
        Assert.True(result.ExitCode == 0, result.ToString());
        return [.. result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(l => l.TrimEnd('\r').Split(','))];
    }
}
