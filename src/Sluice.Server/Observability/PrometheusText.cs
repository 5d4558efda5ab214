using System.Globalization;
using System.Text;

namespace Sluice.Server.Observability;

/// <summary>
/// Writes Prometheus' text exposition format 0.0.4: a <c># HELP</c> and <c># TYPE</c> line per
/// family, then its samples, label values escaped.
/// </summary>
internal sealed class PrometheusText
{
    /// <summary>The content type of the format.</summary>
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    private readonly StringBuilder _text = new();

    /// <summary>Starts a family: <paramref name="type"/> is counter, gauge or histogram.</summary>
    public void Family(string name, string type, string help) =>
        _text.Append("# HELP ").Append(name).Append(' ').Append(help.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal)).Append('\n')
            .Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');

    /// <summary>One sample of the current family.</summary>
    public void Sample(string name, IReadOnlyList<KeyValuePair<string, string>> labels, double value)
    {
        _text.Append(name);
        if (labels.Count > 0)
        {
            _text.Append('{');
            for (var i = 0; i < labels.Count; i++)
            {
                _text.Append(i == 0 ? string.Empty : ",").Append(labels[i].Key).Append("=\"").Append(Escape(labels[i].Value)).Append('"');
            }

            _text.Append('}');
        }

        _text.Append(' ').Append(Number(value)).Append('\n');
    }

    /// <inheritdoc />
    public override string ToString() => _text.ToString();

    /// <summary>A value as the format writes it: +Inf, -Inf, NaN or a number.</summary>
    public static string Number(double value) =>
        double.IsPositiveInfinity(value) ? "+Inf"
        : double.IsNegativeInfinity(value) ? "-Inf"
        : double.IsNaN(value) ? "NaN"
        : value.ToString("R", CultureInfo.InvariantCulture);

    private static string Escape(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
}
