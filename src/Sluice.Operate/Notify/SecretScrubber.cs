using Sluice.Core.Project;

namespace Sluice.Operate.Notify;

/// <summary>
/// Keeps a channel's secrets out of what is shown and stored: every value read from the
/// environment for it, its URL's path, query and user info, and its header values are replaced
/// by <c>***</c> in error texts before they are logged, recorded or returned. A webhook URL is
/// a secret in itself (whoever has a Slack webhook URL may post to the channel), so URLs are
/// shown as scheme and host only (<see cref="MaskUrl"/>).
/// </summary>
public sealed class SecretScrubber
{
    /// <summary>Texts shorter than this are not treated as secrets: replacing them would garble ordinary words.</summary>
    public const int ShortestSecret = 4;

    private readonly string[] _secrets;

    /// <summary>A scrubber that hides <paramref name="secrets"/>.</summary>
    public SecretScrubber(IEnumerable<string> secrets) =>
        // Longest first, so that a secret containing another is replaced whole.
        _secrets = [.. secrets.Where(s => s.Length >= ShortestSecret).Distinct(StringComparer.Ordinal).OrderByDescending(s => s.Length)];

    /// <summary>A scrubber with no secrets of its own; it still masks URL passwords.</summary>
    public static SecretScrubber None { get; } = new([]);

    /// <summary><paramref name="text"/> with every secret replaced by <c>***</c>, and URL passwords masked.</summary>
    public string Scrub(string text)
    {
        foreach (var secret in _secrets)
        {
            // A path or query keeps its leading character, so that a masked URL still reads as one.
            text = text.Replace(secret, secret[0] is '/' or '?' ? secret[0] + "***" : "***", StringComparison.Ordinal);
        }

        return SecretMasker.Mask(text);
    }

    /// <summary>
    /// <paramref name="url"/> as it may be shown: <c>https://hooks.slack.com/***</c>; user info,
    /// path, query and fragment are left out, the host and a port other than the scheme's are kept.
    /// </summary>
    public static string MaskUrl(Uri url) => $"{url.Scheme}://{url.Authority}/{(HasHiddenParts(url) ? "***" : string.Empty)}";

    /// <summary>The parts of <paramref name="url"/> that <see cref="MaskUrl"/> hides, in the forms an error text may quote them.</summary>
    public static IEnumerable<string> SecretsOf(Uri url)
    {
        if (!HasHiddenParts(url))
        {
            yield break;
        }

        yield return url.OriginalString;
        yield return url.AbsoluteUri;
        if (url.PathAndQuery is not ("/" or ""))
        {
            yield return url.PathAndQuery;
            yield return url.AbsolutePath;
            yield return url.Query;
        }

        if (url.UserInfo.Length > 0)
        {
            yield return url.UserInfo;
            yield return Uri.UnescapeDataString(url.UserInfo);

            // The password alone, as a client's error may quote it (a NATS channel's, written in sluice.yml).
            if (url.UserInfo.IndexOf(':', StringComparison.Ordinal) is >= 0 and var colon)
            {
                yield return url.UserInfo[(colon + 1)..];
                yield return Uri.UnescapeDataString(url.UserInfo[(colon + 1)..]);
            }
        }
    }

    private static bool HasHiddenParts(Uri url) =>
        url.PathAndQuery is not ("/" or "") || url.Fragment.Length > 0 || url.UserInfo.Length > 0;
}
