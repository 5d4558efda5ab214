namespace Sluice.Operate.Notify;

/// <summary>How one attempt to deliver went, before its error is scrubbed.</summary>
/// <param name="Delivered">The channel accepted it.</param>
/// <param name="Retryable">A failure that another attempt may mend: HTTP 429 and 5xx, a network error, a timeout, a command's non-zero exit.</param>
/// <param name="Error">What went wrong; may still hold secrets.</param>
/// <param name="HttpStatus">The response's status code, when one came.</param>
/// <param name="ExitCode">A command's exit code, when it exited by itself.</param>
/// <param name="RetryAfter">How long the receiver asked to wait (Retry-After), when it did.</param>
internal sealed record AttemptOutcome(bool Delivered, bool Retryable, string? Error, int? HttpStatus = null, int? ExitCode = null, TimeSpan? RetryAfter = null)
{
    public static AttemptOutcome Success(int? httpStatus = null, int? exitCode = null) => new(true, false, null, httpStatus, exitCode);

    public static AttemptOutcome Failure(string error, bool retryable, int? httpStatus = null, int? exitCode = null, TimeSpan? retryAfter = null) =>
        new(false, retryable, error, httpStatus, exitCode, retryAfter);
}
