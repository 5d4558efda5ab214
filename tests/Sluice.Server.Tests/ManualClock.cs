namespace Sluice.Server.Tests;

/// <summary>
/// A clock that stands still until the test moves it, for the server's <see cref="ServeSettings.Clock"/>:
/// what a server admits or counts then depends on the time the test set, not on how fast the
/// machine ran the requests or on which day the test ran.
/// </summary>
public sealed class ManualClock(DateTimeOffset now) : TimeProvider
{
    private long _ticks = now.UtcTicks;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _ticks), TimeSpan.Zero);

    public override long GetTimestamp() => Interlocked.Read(ref _ticks);

    public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);
}
