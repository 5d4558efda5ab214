using System.Globalization;

namespace Sluice.Core.Templating;

/// <summary>
/// Python's <c>datetime.timedelta</c>: a duration to the microsecond, with <c>days</c>,
/// <c>seconds</c> and <c>microseconds</c> normalized as Python does (only <c>days</c> is negative),
/// <c>total_seconds()</c>, arithmetic and ordering; rendered as Python's <c>str()</c>
/// (<c>1 day, 2:03:04</c>).
/// </summary>
/// <param name="Microseconds">The duration.</param>
public sealed record TemplateTimedelta(long Microseconds) : ITemplateObject, ITemplateOperand
{
    internal const long PerSecond = 1_000_000;
    internal const long PerDay = 86_400 * PerSecond;

    /// <summary>Whole days, rounded down (negative for a negative duration).</summary>
    public long Days => FloorDiv(Microseconds, PerDay);

    /// <summary>The seconds after <see cref="Days"/>, 0 to 86399.</summary>
    public long Seconds => FloorMod(Microseconds, PerDay) / PerSecond;

    /// <inheritdoc />
    public object? Attribute(string name) => name switch
    {
        "days" => Days,
        "seconds" => Seconds,
        "microseconds" => FloorMod(Microseconds, PerSecond),
        "total_seconds" => (TemplateFunction)(_ => Microseconds / (double)PerSecond),
        _ => TemplateValues.Missing,
    };

    /// <inheritdoc />
    public string Render()
    {
        var seconds = Seconds;
        var text = string.Create(CultureInfo.InvariantCulture, $"{seconds / 3600}:{seconds / 60 % 60:D2}:{seconds % 60:D2}");
        if (Days != 0)
        {
            text = string.Create(CultureInfo.InvariantCulture, $"{Days} day{(Math.Abs(Days) == 1 ? "" : "s")}, {text}");
        }

        var micro = FloorMod(Microseconds, PerSecond);
        return micro == 0 ? text : string.Create(CultureInfo.InvariantCulture, $"{text}.{micro:D6}");
    }

    /// <inheritdoc />
    public object? Apply(string op, object? other, bool reflected) => (op, other) switch
    {
        ("+", TemplateTimedelta t) => new TemplateTimedelta(checked(Microseconds + t.Microseconds)),
        ("-", TemplateTimedelta t) => new TemplateTimedelta(checked(reflected ? t.Microseconds - Microseconds : Microseconds - t.Microseconds)),
        ("*", long n) => new TemplateTimedelta(checked(Microseconds * n)),
        ("*", double f) => new TemplateTimedelta(Round(Microseconds * f)),
        ("/", long or double) when !reflected => new TemplateTimedelta(Round(Microseconds / NonZero(TemplateValues.ToDouble(other)))),
        ("/", TemplateTimedelta t) => reflected ? t.Microseconds / NonZero(Microseconds) : Microseconds / NonZero(t.Microseconds),
        ("//", long n) when !reflected => new TemplateTimedelta(FloorDiv(Microseconds, (long)NonZero(n))),
        ("//", TemplateTimedelta t) => reflected ? FloorDiv(t.Microseconds, (long)NonZero(Microseconds)) : FloorDiv(Microseconds, (long)NonZero(t.Microseconds)),
        ("%", TemplateTimedelta t) => new TemplateTimedelta(reflected ? FloorMod(t.Microseconds, (long)NonZero(Microseconds)) : FloorMod(Microseconds, (long)NonZero(t.Microseconds))),
        _ => TemplateValues.Missing,
    };

    /// <inheritdoc />
    public int? CompareTo(object? other) => other is TemplateTimedelta t ? Microseconds.CompareTo(t.Microseconds) : null;

    /// <summary>A duration of <paramref name="microseconds"/>, rounded half to even as Python rounds them.</summary>
    internal static long Round(double microseconds)
    {
        var rounded = Math.Round(microseconds, MidpointRounding.ToEven);
        return double.IsFinite(rounded) && Math.Abs(rounded) < 9.2e18 ? (long)rounded : throw new OverflowException("timedelta value out of range");
    }

    internal static long FloorDiv(long a, long b) => (a / b) - ((a % b != 0) && ((a < 0) != (b < 0)) ? 1 : 0);

    internal static long FloorMod(long a, long b) => ((a % b) + b) % b;

    private static double NonZero(double value) => value != 0 ? value : throw new DivideByZeroException("division by zero");
}
