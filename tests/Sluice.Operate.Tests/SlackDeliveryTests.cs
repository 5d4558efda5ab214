using System.Text.Json;
using Sluice.Operate.Notify;
using Sluice.Testing;

namespace Sluice.Operate.Tests;

public sealed class SlackDeliveryTests : IAsyncDisposable
{
    private readonly NotifyHarness _harness = new();

    public ValueTask DisposeAsync() => _harness.DisposeAsync();

    [Fact]
    public async Task A_slack_channel_gets_a_fallback_text_and_header_section_fields_and_context_blocks()
    {
        await using var receiver = await WebhookReceiver.StartAsync(clock: _harness.Clock.GetUtcNow);
        _harness.Environment["SLACK_WEBHOOK_URL"] = receiver.UrlFor("services/T0/B0/abcdef").AbsoluteUri;
        var channel = _harness.Channel("channels:\n  - {name: data-team, type: slack, url: \"${SLACK_WEBHOOK_URL}\"}\n");

        var delivery = await _harness.Notifier.SendAsync(NotifyHarness.JobFailed(), channel);

        Assert.True(delivery.Delivered, delivery.LastError);
        var request = Assert.Single(receiver.Requests);
        Assert.Equal("/services/T0/B0/abcdef", request.Path);
        var message = JsonDocument.Parse(request.Body).RootElement;
        Assert.Equal(["text", "blocks"], message.EnumerateObject().Select(p => p.Name));
        Assert.Equal("[error] Schedule nightly failed (shop): `build` exited with code 1: model mart_orders failed", message.GetProperty("text").GetString());

        var blocks = message.GetProperty("blocks").EnumerateArray().ToList();
        Assert.Equal(["header", "section", "section", "context"], blocks.Select(b => b.GetProperty("type").GetString()));
        Assert.Equal(("plain_text", ":red_circle: Schedule nightly failed", true), Text(blocks[0]));
        Assert.Equal(("mrkdwn", "`build` exited with code 1: model mart_orders failed", false), Text(blocks[1]));
        Assert.Equal(["*schedule*\nnightly", "*attempts*\n3"], blocks[2].GetProperty("fields").EnumerateArray().Select(MrkdwnText));
        Assert.Equal(
            ["*error* · job_failed · shop · 2026-03-02 10:00:00 UTC", "<https://sluice.example.com/runs/run-1|Run log>"],
            blocks[3].GetProperty("elements").EnumerateArray().Select(MrkdwnText));
    }

    [Fact]
    public void Slack_texts_are_escaped_cut_to_slacks_limits_and_fields_go_ten_to_a_section()
    {
        var notification = new Notification(
            NotificationKinds.AlertFiring, new string('T', 200), NotificationSeverity.Critical, "rows < 10 & errors > 3\n" + new string('x', 5000), NotifyHarness.Start, "alert:x")
        {
            Fields = [.. Enumerable.Range(1, 12).Select(i => new NotificationField($"f{i}", i == 1 ? "<b>&" : "v"))],
        };

        var message = JsonDocument.Parse(SlackMessage.Write(notification, "shop")).RootElement;

        var blocks = message.GetProperty("blocks").EnumerateArray().ToList();
        Assert.Equal(["header", "section", "section", "section", "context"], blocks.Select(b => b.GetProperty("type").GetString()));
        var header = Text(blocks[0]).Text;
        Assert.Equal(150, header.Length);
        Assert.StartsWith(":rotating_light: TTT", header);
        Assert.EndsWith("…", header);
        var section = Text(blocks[1]).Text;
        Assert.StartsWith("rows &lt; 10 &amp; errors &gt; 3\n", section);
        Assert.Equal(3000, section.Length);
        Assert.Equal([10, 2], blocks.Skip(2).Take(2).Select(b => b.GetProperty("fields").GetArrayLength()));
        Assert.Equal("*f1*\n&lt;b&gt;&amp;", MrkdwnText(blocks[2].GetProperty("fields")[0]));
        Assert.StartsWith("[critical] TTT", message.GetProperty("text").GetString());
        Assert.EndsWith("(shop): rows &lt; 10 &amp; errors &gt; 3", message.GetProperty("text").GetString());
    }

    private static (string Type, string Text, bool Emoji) Text(JsonElement block)
    {
        var text = block.GetProperty("text");
        return (text.GetProperty("type").GetString()!, text.GetProperty("text").GetString()!, text.TryGetProperty("emoji", out var emoji) && emoji.GetBoolean());
    }

    private static string MrkdwnText(JsonElement element)
    {
        Assert.Equal("mrkdwn", element.GetProperty("type").GetString());
        return element.GetProperty("text").GetString()!;
    }
}
