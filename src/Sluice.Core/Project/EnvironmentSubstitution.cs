using System.Text;

namespace Sluice.Core.Project;

/// <summary>
/// Expands environment references in configuration values: <c>${NAME}</c> is the variable's
/// value, <c>${NAME:-default}</c> falls back to <c>default</c> when NAME is unset or empty, and
/// <c>$${</c> stands for a literal <c>${</c>. Any other <c>$</c> is literal, so passwords and
/// regular expressions need no escaping.
/// </summary>
public static class EnvironmentSubstitution
{
    /// <summary>
    /// Returns <paramref name="text"/> with references expanded. Problems (an unset variable
    /// without a default, a malformed reference) are reported through <paramref name="fail"/>,
    /// which turns a message into the exception to throw, so that it can carry the file and line.
    /// Values never appear in messages.
    /// </summary>
    public static string Apply(string text, Func<string, string?> environment, Func<string, Exception> fail)
    {
        var start = text.IndexOf('$', StringComparison.Ordinal);
        if (start < 0)
        {
            return text;
        }

        var result = new StringBuilder(text.Length);
        result.Append(text, 0, start);
        var i = start;
        while (i < text.Length)
        {
            if (text[i] != '$')
            {
                result.Append(text[i++]);
            }
            else if (string.CompareOrdinal(text, i, "$${", 0, 3) == 0)
            {
                result.Append("${");
                i += 3;
            }
            else if (string.CompareOrdinal(text, i, "${", 0, 2) == 0)
            {
                var close = text.IndexOf('}', i + 2);
                if (close < 0)
                {
                    throw fail($"'${{' at character {i + 1} has no closing '}}'; write ${{NAME}} or ${{NAME:-default}}, or $${{ for a literal ${{.");
                }

                result.Append(Resolve(text[(i + 2)..close], environment, fail));
                i = close + 1;
            }
            else
            {
                result.Append('$');
                i++;
            }
        }

        return result.ToString();
    }

    private static string Resolve(string reference, Func<string, string?> environment, Func<string, Exception> fail)
    {
        var separator = reference.IndexOf(":-", StringComparison.Ordinal);
        var name = separator < 0 ? reference : reference[..separator];
        if (!IsName(name))
        {
            throw fail($"'${{{reference}}}' is not a valid environment reference; write ${{NAME}} or ${{NAME:-default}} with NAME made of letters, digits and '_'.");
        }

        var value = environment(name);
        if (separator >= 0)
        {
            return string.IsNullOrEmpty(value) ? reference[(separator + 2)..] : value;
        }

        return value ?? throw fail($"environment variable {name} is not set; set it (export {name}=...) or give a default with ${{{name}:-default}}.");
    }

    private static bool IsName(string name) =>
        name.Length > 0
        && (char.IsAsciiLetter(name[0]) || name[0] == '_')
        && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');
}
