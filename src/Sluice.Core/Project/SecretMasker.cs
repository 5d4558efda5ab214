using System.Text.RegularExpressions;

namespace Sluice.Core.Project;

/// <summary>
/// Removes passwords from text that is about to be shown: the password part of URLs
/// (<c>postgres://user:secret@host</c> becomes <c>postgres://user:***@host</c>) and
/// <c>Password=</c> entries of connection strings. Everything Sluice prints about a
/// connection or an error goes through here.
/// </summary>
public static partial class SecretMasker
{
    /// <summary>The text with every password replaced by <c>***</c>.</summary>
    public static string Mask(string text)
    {
        if (!text.Contains('@', StringComparison.Ordinal) && !text.Contains('=', StringComparison.Ordinal))
        {
            return text;
        }

        var masked = UrlPassword().Replace(text, "${prefix}:***@");
        return ConnectionStringPassword().Replace(masked, "${key}=***");
    }

    // Greedy up to the last '@' of the run: an unescaped '@' or ':' inside a password must not
    // leave a tail of it visible.
    [GeneratedRegex(@"(?<prefix>\b[A-Za-z][A-Za-z0-9+.-]*://[^:/@\s]*):[^\s]*@")]
    private static partial Regex UrlPassword();

    [GeneratedRegex(@"(?<key>\b(?:Password|Pwd))\s*=\s*(?:'[^']*'|""[^""]*""|[^;\s]*)", RegexOptions.IgnoreCase)]
    private static partial Regex ConnectionStringPassword();
}
