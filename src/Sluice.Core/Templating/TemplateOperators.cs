namespace Sluice.Core.Templating;

/// <summary>Arithmetic, comparison, membership and <c>~</c>, with Python's rules.</summary>
internal static class TemplateOperators
{
    public static object? Apply(string op, object? left, object? right, TemplateSource source, int offset)
    {
        switch (op)
        {
            case "==":
                return TemplateValues.AreEqual(left, right);
            case "!=":
                return !TemplateValues.AreEqual(left, right);
            case "<" or "<=" or ">" or ">=":
                var order = TemplateValues.Compare(left, right)
                    ?? throw source.Error(offset, $"cannot compare {TemplateValues.TypeName(left)} with {TemplateValues.TypeName(right)} using '{op}'");
                return op switch { "<" => order < 0, "<=" => order <= 0, ">" => order > 0, _ => order >= 0 };
            case "in":
                return Contains(right, left, source, offset);
            case "not in":
                return !Contains(right, left, source, offset);
            case "~":
                return TemplateValues.Render(left) + TemplateValues.Render(right);
        }

        if (Custom(op, left, right, source, offset) is var custom && custom != TemplateValues.Missing)
        {
            return custom;
        }

        return (op, left, right) switch
        {
            ("+", string a, string b) => a + b,
            ("+", IReadOnlyList<object?> a, IReadOnlyList<object?> b) => a.Concat(b).ToList(),
            ("%", string format, _) => TemplateFormat.Percent(format, right, source, offset),
            ("*", string text, long times) => string.Concat(Enumerable.Repeat(text, (int)Math.Max(0, times))),
            ("*", IReadOnlyList<object?> list, long times) => Enumerable.Repeat(list, (int)Math.Max(0, times)).SelectMany(l => l).ToList(),
            ("**", long a, long b) when b >= 0 => (object)checked((long)Math.Pow(a, b)),
            ("**", long or double, long or double) => Math.Pow(TemplateValues.ToDouble(left), TemplateValues.ToDouble(right)),
            (_, long a, long b) => Integers(op, a, b, source, offset),
            (_, long or double, long or double) => Floats(op, TemplateValues.ToDouble(left), TemplateValues.ToDouble(right), source, offset),
            _ => throw source.Error(offset, $"cannot apply '{op}' to {TemplateValues.TypeName(left)} and {TemplateValues.TypeName(right)}"),
        };
    }

    public static object Negate(object? value, TemplateSource source, int offset) => value switch
    {
        long l => (object)(-l),
        double d => -d,
        ITemplateOperand operand when Custom("*", operand, -1L, source, offset) is { } negated && negated != TemplateValues.Missing => negated,
        _ => throw source.Error(offset, $"cannot negate {TemplateValues.TypeName(value)}"),
    };

    public static object Plus(object? value, TemplateSource source, int offset) => value is long or double
        ? value
        : throw source.Error(offset, $"cannot apply unary '+' to {TemplateValues.TypeName(value)}");

    // A date or timedelta's own operators, asked first as Python asks __add__ and then __radd__.
    private static object? Custom(string op, object? left, object? right, TemplateSource source, int offset)
    {
        try
        {
            var result = left is ITemplateOperand l ? l.Apply(op, right, reflected: false) : TemplateValues.Missing;
            return result == TemplateValues.Missing && right is ITemplateOperand r ? r.Apply(op, left, reflected: true) : result;
        }
        catch (ArithmeticException error)
        {
            throw source.Error(offset, error.Message);
        }
    }

    private static bool Contains(object? container, object? item, TemplateSource source, int offset) => container switch
    {
        string text when item is string part => text.Contains(part, StringComparison.Ordinal),
        IReadOnlyDictionary<string, object?> dict => dict.ContainsKey(TemplateValues.Key(item)),
        IReadOnlyList<object?> list => list.Any(element => TemplateValues.AreEqual(element, item)),
        _ => throw source.Error(offset, $"cannot test membership in {TemplateValues.TypeName(container)}"),
    };

    private static object Integers(string op, long a, long b, TemplateSource source, int offset)
    {
        if (b == 0 && op is "/" or "//" or "%")
        {
            throw source.Error(offset, "division by zero");
        }

        return op switch
        {
            // Each arm boxed on its own: a switch of long and double arms would make every result a double.
            "+" => (object)(a + b),
            "-" => a - b,
            "*" => a * b,
            "/" => (double)a / b,
            "//" => (long)Math.Floor((double)a / b),
            _ => ((a % b) + b) % b,
        };
    }

    private static object Floats(string op, double a, double b, TemplateSource source, int offset)
    {
        if (b == 0 && op is "/" or "//" or "%")
        {
            throw source.Error(offset, "division by zero");
        }

        return op switch
        {
            "+" => a + b,
            "-" => a - b,
            "*" => a * b,
            "/" => a / b,
            "//" => Math.Floor(a / b),
            _ => a - (b * Math.Floor(a / b)),
        };
    }
}
