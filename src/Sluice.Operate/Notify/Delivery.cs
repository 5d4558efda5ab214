namespace Sluice.Operate.Notify;

/// <summary>
/// How sending one notification to one channel went, as <see cref="Notifier"/> returns it and
/// <c>_sluice.notifications</c> records it. Its texts hold no secrets.
/// </summary>
/// <param name="Id">The delivery's id: the body's <c>id</c>, the same for every attempt.</param>
/// <param name="Channel">The channel's name.</param>
/// <param name="ChannelType">webhook, slack or command.</param>
/// <param name="Kind">The notification's kind.</param>
/// <param name="DedupKey">The notification's dedup key.</param>
/// <param name="Severity">The notification's severity.</param>
/// <param name="Title">The notification's title.</param>
/// <param name="OccurredAt">When what it tells of happened.</param>
/// <param name="Status"><see cref="DeliveryStatus.Delivered"/> or <see cref="DeliveryStatus.Failed"/>.</param>
/// <param name="Attempts">How many attempts were made.</param>
/// <param name="LastError">What went wrong on the last failed attempt, secrets masked; set also when a retry then delivered.</param>
/// <param name="HttpStatus">The last HTTP response's status code; null for a command, or when no response came.</param>
/// <param name="ExitCode">A command channel's last exit code; null when it did not exit by itself.</param>
/// <param name="StartedAt">When the first attempt started.</param>
/// <param name="CompletedAt">When the last attempt ended.</param>
public sealed record Delivery(
    string Id,
    string Channel,
    string ChannelType,
    string Kind,
    string DedupKey,
    NotificationSeverity Severity,
    string Title,
    DateTimeOffset OccurredAt,
    string Status,
    int Attempts,
    string? LastError,
    int? HttpStatus,
    int? ExitCode,
    DateTimeOffset StartedAt,
    DateTimeOffset CompletedAt)
{
    /// <summary>Whether the channel accepted it.</summary>
    public bool Delivered => Status == DeliveryStatus.Delivered;

    /// <summary>Whether it was written to <c>_sluice.notifications</c>; false when the warehouse could not be written.</summary>
    public bool Recorded { get; init; }
}

/// <summary>The statuses of a delivery.</summary>
public static class DeliveryStatus
{
    /// <summary>The channel accepted it: an HTTP 2xx answer, or exit code 0.</summary>
    public const string Delivered = "delivered";

    /// <summary>Every attempt failed, or one failed in a way a retry cannot mend.</summary>
    public const string Failed = "failed";
}
