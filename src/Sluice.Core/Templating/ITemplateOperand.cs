namespace Sluice.Core.Templating;

/// <summary>
/// A host value with arithmetic and ordering of its own, as Python's dates have
/// (<c>date - timedelta</c>, <c>d1 &lt; d2</c>). Operators ask it before their number and string
/// rules: first the left operand, then the right one, reflected, as Python does.
/// </summary>
public interface ITemplateOperand
{
    /// <summary>
    /// <c>this op other</c>, or <c>other op this</c> when <paramref name="reflected"/>;
    /// <see cref="TemplateValues.Missing"/> when the operator does not apply to the pair. A result
    /// out of range, a division by zero or a pair Python refuses (naive and aware datetimes)
    /// throws an <see cref="ArithmeticException"/>, whose message the template error takes.
    /// </summary>
    object? Apply(string op, object? other, bool reflected);

    /// <summary>The order of this value against <paramref name="other"/>, or null when the two cannot be compared.</summary>
    int? CompareTo(object? other);
}
