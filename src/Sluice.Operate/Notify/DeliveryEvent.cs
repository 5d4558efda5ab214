namespace Sluice.Operate.Notify;

/// <summary>What happened while a notification was delivered.</summary>
public enum DeliveryEventKind
{
    /// <summary>An attempt failed and another follows after <see cref="DeliveryEvent.RetryIn"/>.</summary>
    Retrying,

    /// <summary>The channel accepted the notification.</summary>
    Delivered,

    /// <summary>The delivery failed for good.</summary>
    Failed,

    /// <summary>The delivery could not be written to <c>_sluice.notifications</c>.</summary>
    NotRecorded,
}

/// <summary>One thing that happened to a delivery, as logs report it. Its texts hold no secrets.</summary>
/// <param name="Kind">What happened.</param>
/// <param name="Channel">The channel's name.</param>
/// <param name="DeliveryId">The delivery's id.</param>
/// <param name="NotificationKind">The notification's kind.</param>
/// <param name="DedupKey">The notification's dedup key.</param>
/// <param name="Attempt">The attempt it concerns, from 1; for Delivered and Failed, the number of attempts made.</param>
/// <param name="At">When it happened.</param>
/// <param name="Error">What went wrong, secrets masked.</param>
/// <param name="RetryIn">For Retrying, the wait before the next attempt; it has started when the event is reported.</param>
public sealed record DeliveryEvent(
    DeliveryEventKind Kind, string Channel, string DeliveryId, string NotificationKind, string DedupKey, int Attempt, DateTimeOffset At, string? Error, TimeSpan? RetryIn);
