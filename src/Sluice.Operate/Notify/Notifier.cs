using Sluice.Core.Warehouse;
using Sluice.Warehouses.Metadata;

namespace Sluice.Operate.Notify;

/// <summary>
/// Sends notifications to channels: to each channel at once, each attempt bounded by the
/// channel's timeout, retryable failures tried again after a doubling delay, every delivery
/// recorded in <c>_sluice.notifications</c> and reported. It never throws to its caller, so
/// that a job whose failure it reports, or an alert it sends, goes on whatever the channel does:
/// a failed delivery is a <see cref="Delivery"/> with status failed, a record that cannot be
/// written is a <see cref="DeliveryEventKind.NotRecorded"/> event.
/// </summary>
/// <remarks>
/// The retry loop is plain code rather than a Polly pipeline: it starts each wait before it
/// reports the retry (as the scheduler's runs do), so that whoever moves a test's clock on the
/// report moves that wait; Polly reports a retry before it starts the wait. What the loop needs
/// beyond a counter and a delay — which answers to retry, Retry-After, errors without secrets,
/// a record per delivery — is Sluice's either way.
/// </remarks>
public sealed class Notifier : IDisposable
{
    // A Retry-After longer than this is not waited for: the attempt after it fails instead of
    // holding the caller for an hour.
    private static readonly TimeSpan LongestRetryAfter = TimeSpan.FromMinutes(5);

    private readonly string _project;
    private readonly Func<CancellationToken, Task<IWarehouseSession>>? _openSession;
    private readonly TimeProvider _clock;
    private readonly Action<DeliveryEvent> _report;
    private readonly HttpClient _http = HttpDelivery.CreateClient();
    private readonly SemaphoreSlim _recording = new(1, 1);
    private bool _migrated;

    /// <param name="project">The project's name, which bodies carry.</param>
    /// <param name="openSession">Opens a session on the project's warehouse, for the records; null to keep none.</param>
    /// <param name="clock">The time; tests move it by hand.</param>
    /// <param name="report">Told of every retry and outcome, as logs show them; what it throws is ignored.</param>
    public Notifier(string project, Func<CancellationToken, Task<IWarehouseSession>>? openSession, TimeProvider clock, Action<DeliveryEvent> report)
    {
        _project = project;
        _openSession = openSession;
        _clock = clock;
        _report = report;
    }

    /// <summary>
    /// Sends <paramref name="notification"/> to each enabled channel of <paramref name="channels"/>,
    /// all at once; completes when every delivery has ended. Disabled channels are left out.
    /// Never throws: cancelling ends the deliveries under way as failed.
    /// </summary>
    public async Task<IReadOnlyList<Delivery>> SendAsync(Notification notification, IEnumerable<NotificationChannel> channels, CancellationToken cancellationToken = default) =>
        await Task.WhenAll(channels.Where(c => c.Enabled).Select(c => SendAsync(notification, c, cancellationToken)));

    /// <summary>
    /// Sends <paramref name="notification"/> to <paramref name="channel"/>, even a disabled one
    /// (<c>sluice channels test</c> does); completes when the delivery has ended and is recorded.
    /// Never throws: cancelling ends the delivery as failed.
    /// </summary>
    public async Task<Delivery> SendAsync(Notification notification, NotificationChannel channel, CancellationToken cancellationToken = default)
    {
        var id = Guid.CreateVersion7().ToString("N");
        var startedAt = _clock.GetUtcNow();
        var attempts = 0;
        AttemptOutcome outcome;
        string? lastError = null;
        try
        {
            var body = channel switch
            {
                SlackChannel => SlackMessage.Write(notification, _project),
                _ when notification.Event is { } e => e.Body,
                _ => NotificationBody.Write(notification, _project, channel.Name, id),
            };
            while (true)
            {
                attempts++;
                outcome = await AttemptAsync(channel, notification, id, body, cancellationToken);
                if (outcome.Delivered)
                {
                    break;
                }

                lastError = channel.Scrub(outcome.Error ?? "failed");
                if (!outcome.Retryable || attempts > channel.Retries)
                {
                    break;
                }

                var wait = channel.DelayBeforeRetry(attempts);
                if (outcome.RetryAfter is { } asked && asked > wait)
                {
                    wait = asked <= LongestRetryAfter ? asked : LongestRetryAfter;
                }

                try
                {
                    var delay = Task.Delay(wait, _clock, cancellationToken);
                    Report(new DeliveryEvent(DeliveryEventKind.Retrying, channel.Name, id, notification.Kind, notification.DedupKey, attempts, _clock.GetUtcNow(), lastError, wait));
                    await delay;
                }
                catch (OperationCanceledException)
                {
                    lastError += $"; cancelled before attempt {attempts + 1}";
                    break;
                }
            }
        }
        catch (Exception e)
        {
            // A bug here must not become the caller's failure either.
            outcome = AttemptOutcome.Failure($"unexpected {e.GetType().Name}: {e.Message}", retryable: false);
            lastError = channel.Scrub(outcome.Error!);
            attempts = Math.Max(attempts, 1);
        }

        var delivery = new Delivery(
            id, channel.Name, channel.Type, notification.Kind, notification.DedupKey, notification.Severity, notification.Title, notification.OccurredAt,
            outcome.Delivered ? DeliveryStatus.Delivered : DeliveryStatus.Failed, attempts, lastError, outcome.HttpStatus, outcome.ExitCode, startedAt, _clock.GetUtcNow());
        delivery = delivery with { Recorded = await RecordAsync(delivery, channel) };
        Report(new DeliveryEvent(
            delivery.Delivered ? DeliveryEventKind.Delivered : DeliveryEventKind.Failed,
            channel.Name, id, notification.Kind, notification.DedupKey, attempts, delivery.CompletedAt, delivery.Delivered ? null : lastError, null));
        return delivery;
    }

    /// <summary>Closes the HTTP connections.</summary>
    public void Dispose()
    {
        _http.Dispose();
        _recording.Dispose();
    }

    private async Task<AttemptOutcome> AttemptAsync(NotificationChannel channel, Notification notification, string id, byte[] body, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(channel.Timeout, _clock);
        using var either = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            return channel switch
            {
                WebhookChannel webhook => await HttpDelivery.PostAsync(_http, webhook.Url, webhook.Headers, body, _clock.GetUtcNow(), either.Token),
                SlackChannel slack => await HttpDelivery.PostAsync(_http, slack.Url, slack.Headers, body, _clock.GetUtcNow(), either.Token),
                CommandChannel command => await CommandDelivery.RunAsync(command, body, either.Token),
                NatsChannel nats => await NatsDelivery.PublishAsync(nats, nats.SubjectFor(notification), id, body, either.Token),
                _ => AttemptOutcome.Failure($"channels of type {channel.Type} cannot be sent to", retryable: false),
            };
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return AttemptOutcome.Failure("cancelled: the process sending it is stopping", retryable: false);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            return AttemptOutcome.Failure(
                channel is CommandChannel
                    ? $"the command did not finish within the channel's timeout of {Show.Duration(channel.Timeout)} and was stopped"
                    : $"no answer within the channel's timeout of {Show.Duration(channel.Timeout)}",
                retryable: true);
        }
    }

    // The record is written once the delivery has ended; a warehouse that cannot be written
    // (down, held by another process) costs the record, never the delivery or the caller.
    private async Task<bool> RecordAsync(Delivery delivery, NotificationChannel channel)
    {
        if (_openSession is null)
        {
            return false;
        }

        await _recording.WaitAsync(CancellationToken.None);
        try
        {
            await using var session = await _openSession(CancellationToken.None);
            if (!_migrated)
            {
                await MetadataSchema.MigrateAsync(session, cancellationToken: CancellationToken.None);
                _migrated = true;
            }

            await NotificationStore.RecordAsync(session, delivery, CancellationToken.None);
            return true;
        }
        catch (Exception e)
        {
            Report(new DeliveryEvent(
                DeliveryEventKind.NotRecorded, delivery.Channel, delivery.Id, delivery.Kind, delivery.DedupKey, delivery.Attempts, _clock.GetUtcNow(),
                channel.Scrub($"the delivery could not be recorded in {NotificationStore.Table}: {e.Message}"), null));
            return false;
        }
        finally
        {
            _recording.Release();
        }
    }

    private void Report(DeliveryEvent e)
    {
        try
        {
            _report(e);
        }
        catch (Exception)
        {
            // Telemetry never throws: a broken log does not fail a delivery.
        }
    }
}
