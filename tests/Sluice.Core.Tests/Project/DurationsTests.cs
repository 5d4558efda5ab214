using Sluice.Core.Project;

namespace Sluice.Core.Tests.Project;

public sealed class DurationsTests
{
    [Theory]
    [InlineData("90s", 90_000)]
    [InlineData("10m", 600_000)]
    [InlineData("24h", 86_400_000)]
    [InlineData("7d", 604_800_000)]
    [InlineData("250ms", 250)]
    [InlineData("1h30m", 5_400_000)]
    [InlineData(" 2h ", 7_200_000)]
    [InlineData("0s", 0)]
    public void Parses_units_and_combinations(string text, long milliseconds)
    {
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), Durations.TryParse(text));
    }

    [Theory]
    [InlineData("")]
    [InlineData("10")]
    [InlineData("1w")]
    [InlineData("h")]
    [InlineData("-5m")]
    [InlineData("1.5h")]
    [InlineData("yesterday")]
    public void Rejects_what_is_not_a_duration(string text)
    {
        Assert.Null(Durations.TryParse(text));
    }
}
