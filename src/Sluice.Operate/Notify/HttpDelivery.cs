using System.Net.Http.Headers;
using System.Text;

namespace Sluice.Operate.Notify;

/// <summary>
/// One POST of a body to a webhook or Slack URL. A 2xx answer delivers; 429 and 5xx answers and
/// network errors may be retried; other answers (a wrong URL, a rejected payload, a revoked
/// token) will not mend by trying again. Redirects are not followed: a POST that is redirected
/// would arrive as a GET, so a 3xx is a failure that names the fix. User info in the URL
/// (<c>https://user:password@host/…</c>) is sent as basic authentication.
/// </summary>
internal static class HttpDelivery
{
    // What an error keeps of the response's body: Slack answers `invalid_payload`, `no_service`.
    private const int ExcerptBytes = 1024;
    private const int ExcerptChars = 200;

    public static HttpClient CreateClient()
    {
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            UseCookies = false,
        };

        // Each attempt's timeout is the channel's, on the notifier's clock; the client's own would race it.
        var client = new HttpClient(handler) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
        client.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("sluice", null));
        return client;
    }

    public static async Task<AttemptOutcome> PostAsync(
        HttpClient client, Uri url, IReadOnlyList<KeyValuePair<string, string>> headers, byte[] body, DateTimeOffset now, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        // HttpClient ignores user info in a URL; a receiver that has it there expects basic authentication.
        if (url.UserInfo.Length > 0 && !headers.Any(h => h.Key.Equals("Authorization", StringComparison.OrdinalIgnoreCase)))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(Uri.UnescapeDataString(url.UserInfo))));
        }

        foreach (var (name, value) in headers)
        {
            if (!request.Headers.TryAddWithoutValidation(name, value))
            {
                request.Content.Headers.TryAddWithoutValidation(name, value);
            }
        }

        try
        {
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            var status = (int)response.StatusCode;
            if (status is >= 200 and < 300)
            {
                return AttemptOutcome.Success(httpStatus: status);
            }

            var excerpt = await ExcerptAsync(response, cancellationToken);
            var error = $"HTTP {status}{(response.ReasonPhrase is { Length: > 0 } reason ? $" ({reason})" : string.Empty)}{(excerpt.Length > 0 ? $": {excerpt}" : string.Empty)}";
            if (status is >= 300 and < 400)
            {
                return AttemptOutcome.Failure($"{error}; the URL redirects, and a redirected POST would arrive as a GET: give the URL it redirects to", retryable: false, httpStatus: status);
            }

            var retryable = status is 429 or >= 500;
            return AttemptOutcome.Failure(error, retryable, status, retryAfter: retryable ? RetryAfter(response, now) : null);
        }
        catch (HttpRequestException e)
        {
            // A refused or reset connection, a name that does not resolve, a TLS failure.
            return AttemptOutcome.Failure(Describe(e), retryable: true);
        }
    }

    private static TimeSpan? RetryAfter(HttpResponseMessage response, DateTimeOffset now) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - now,
        _ => null,
    };

    private static async Task<string> ExcerptAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
            var buffer = new byte[ExcerptBytes];
            var read = 0;
            int count;
            while (read < buffer.Length && (count = await stream.ReadAsync(buffer.AsMemory(read), cancellationToken)) > 0)
            {
                read += count;
            }

            var text = string.Join(' ', Encoding.UTF8.GetString(buffer, 0, read).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
            return text.Length <= ExcerptChars ? text : text[..ExcerptChars] + "…";
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            return string.Empty;
        }
    }

    private static string Describe(HttpRequestException e)
    {
        var message = e.Message.TrimEnd('.');
        return e.InnerException is { Message: { Length: > 0 } inner } && !message.Contains(inner.TrimEnd('.'), StringComparison.Ordinal)
            ? $"{message}: {inner.TrimEnd('.')}"
            : message;
    }
}
