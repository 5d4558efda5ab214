using Sluice.Core.Project;
using Sluice.Operate.Notify;

namespace Sluice.Operate.Tests;

public sealed class ChannelReaderTests : IAsyncDisposable
{
    private const string Secret = "xoxb-Zq7W9kP2-never-shown";
    private readonly NotifyHarness _harness = new();

    public ValueTask DisposeAsync() => _harness.DisposeAsync();

    [Fact]
    public void Channels_are_read_with_their_defaults_and_secrets_from_the_environment()
    {
        _harness.Environment["SLACK_WEBHOOK_URL"] = $"https://hooks.slack.com/services/T000/B000/{Secret}";
        _harness.Environment["PAGER_TOKEN"] = Secret + "-token";
        var channels = _harness.Channels("""
            channels:
              - name: data-team
                type: slack
                url: ${SLACK_WEBHOOK_URL}
              - name: pager
                type: webhook
                url: https://user:pa55word@events.example.com:8443/hooks/sluice?key=abc
                headers:
                  Authorization: Bearer ${PAGER_TOKEN}
                  X-Team: data
                retries: 5
                retry_delay: 2s
                timeout: 30s
              - name: log
                type: command
                command: [./scripts/notify.sh, --quiet]
                enabled: false
            """);

        Assert.Equal(["data-team", "pager", "log"], channels.Select(c => c.Name));
        var slack = Assert.IsType<SlackChannel>(channels[0]);
        Assert.Equal($"https://hooks.slack.com/services/T000/B000/{Secret}", slack.Url.AbsoluteUri);
        Assert.Equal((3, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(10), true, 3), (slack.Retries, slack.RetryDelay, slack.Timeout, slack.Enabled, slack.Line));
        Assert.Equal([TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(20)], [slack.DelayBeforeRetry(1), slack.DelayBeforeRetry(2), slack.DelayBeforeRetry(3)]);
        Assert.Equal("https://hooks.slack.com/***", slack.Target);
        Assert.Equal("slack channel 'data-team' (https://hooks.slack.com/***)", slack.ToString());

        var pager = Assert.IsType<WebhookChannel>(channels[1]);
        Assert.Equal([new("Authorization", $"Bearer {Secret}-token"), new("X-Team", "data")], pager.Headers);
        Assert.Equal((5, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(30)), (pager.Retries, pager.RetryDelay, pager.Timeout));
        Assert.Equal("https://events.example.com:8443/***", pager.Target);
        Assert.DoesNotContain("pa55word", pager.ToString());

        var command = Assert.IsType<CommandChannel>(channels[2]);
        Assert.Equal([Path.Combine(_harness.Directory, "scripts", "notify.sh"), "--quiet"], command.Command);
        Assert.Equal(_harness.Directory, command.WorkingDirectory);
        Assert.False(command.Enabled);

        // The secrets are masked wherever a text quotes them.
        Assert.Equal("refused by ***", slack.Scrub($"refused by https://hooks.slack.com/services/T000/B000/{Secret}"));
        Assert.DoesNotContain(Secret, slack.Scrub($"POST {slack.Url} failed: {slack.Url.PathAndQuery}"));
        Assert.DoesNotContain(Secret, pager.Scrub($"the token {Secret}-token was refused"));
        Assert.DoesNotContain("key=abc", pager.Scrub($"POST {pager.Url} failed"));
    }

    [Fact]
    public void A_project_without_channels_has_none() =>
        Assert.Empty(_harness.Channels("schedules: []\n"));

    [Theory]
    [InlineData("  - {name: a, type: email, url: \"https://x.example.com/\"}", 3, "channel 'a': unknown type 'email'; a channel's type is webhook, slack, command")]
    [InlineData("  - {name: a, type: webhook}", 3, "channel 'a' needs a url; add `url: ${WEBHOOK_URL}`")]
    [InlineData("  - {name: a, type: slack}", 3, "channel 'a' needs a url; add `url: ${SLACK_WEBHOOK_URL}`")]
    [InlineData("  - {name: a, type: command}", 3, "channel 'a' needs a command")]
    [InlineData("  - {name: a, type: webhook, url: \"https://x.example.com/\", timeout: soon}", 3, "channel 'a': timeout must be a duration")]
    [InlineData("  - {name: a, type: webhook, url: \"https://x.example.com/\", retry_delay: 5 seconds}", 3, "channel 'a': retry_delay must be a duration")]
    [InlineData("  - {name: a, type: webhook, url: \"https://x.example.com/\", timeout: 2h}", 3, "channel 'a': timeout may be at most 10m, not 2h")]
    [InlineData("  - {name: a, type: webhook, url: \"https://x.example.com/\", retries: 11}", 3, "channel 'a': retries must be between 0 and 10")]
    [InlineData("  - {name: a, type: webhook, url: \"https://x.example.com/\", every: 5m}", 3, "unknown key 'every' in a channel")]
    [InlineData("  - {name: a, type: webhook, url: \"https://x.example.com/\", command: [x]}", 3, "'command' does not apply to a webhook channel")]
    [InlineData("  - {name: a, type: command, command: [x], url: \"https://x.example.com/\"}", 3, "'url' does not apply to a command channel")]
    [InlineData("  - {name: a, type: command, command: \"notify --all\"}", 3, "channel 'a': command must be a list of the program and its arguments")]
    [InlineData("  - {name: a, type: webhook, url: \"ftp://x.example.com/drop\"}", 3, "channel 'a': url must be an absolute http or https URL")]
    [InlineData("  - {name: a, type: webhook, url: \"https://x.example.com/\", headers: {Content-Type: text/plain}}", 3, "the header Content-Type is set by Sluice")]
    [InlineData("  - {name: a, type: webhook, url: \"https://x.example.com/\", headers: {\"Bad Name\": x}}", 3, "'Bad Name' is not a valid header name")]
    [InlineData("  - {name: a, type: webhook, url: \"${NOT_SET_ANYWHERE}\"}", 3, "environment variable NOT_SET_ANYWHERE is not set")]
    [InlineData("  - {type: webhook, url: \"https://x.example.com/\"}", 3, "a channel needs name")]
    [InlineData("  - {name: a, url: \"https://x.example.com/\"}", 3, "channel 'a' needs a type")]
    [InlineData("  - {name: a b, type: webhook, url: \"https://x.example.com/\"}", 3, "may hold only letters")]
    [InlineData("  - {name: a, type: webhook, url: \"https://x.example.com/\"}\n  - {name: a, type: slack, url: \"https://y.example.com/\"}", 4, "the channel name 'a' is used twice (also on line 3)")]
    public void A_bad_channel_is_an_error_at_its_line(string yaml, int line, string message)
    {
        var error = Assert.Throws<ConfigurationException>(() => _harness.Channels("channels:\n" + yaml + "\n"));
        Assert.StartsWith($"{_harness.ConfigPath}:{line}:", error.Message);
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void Channels_must_be_a_list()
    {
        var error = Assert.Throws<ConfigurationException>(() => _harness.Channels("channels:\n  slack: https://x.example.com/\n"));
        Assert.StartsWith($"{_harness.ConfigPath}:3:", error.Message);
        Assert.Contains("channels must be a list", error.Message);
    }

    [Fact]
    public void A_bad_url_from_the_environment_is_reported_without_its_value()
    {
        _harness.Environment["WEBHOOK_URL"] = $"ftp://robot:{Secret}@drop.example.com/{Secret}";
        var error = Assert.Throws<ConfigurationException>(() => _harness.Channels("""
            channels:
              - name: drop
                type: webhook
                url: ${WEBHOOK_URL}
            """));

        Assert.StartsWith($"{_harness.ConfigPath}:5:", error.Message);
        Assert.Contains("`${WEBHOOK_URL}` gives a value that is not one", error.Message);
        Assert.DoesNotContain(Secret, error.Message);
    }
}
