using System.Net;
using System.Text;

namespace Sluice.Warehouses.ClickHouse;

/// <summary>
/// Requests to ClickHouse's HTTP interface: a statement goes as the POST body (or, for an
/// insert that streams rows, as the <c>query</c> parameter beside them), in the URL's database
/// and, when given, a server-side session that keeps <c>SET</c>s between requests. Replies are
/// buffered by the server until the statement has finished (<c>wait_end_of_query</c>), so an
/// error met halfway through a result arrives as an error, not as a truncated result.
/// </summary>
internal sealed class ClickHouseHttp : IDisposable
{
    private readonly HttpClient _client;
    private readonly ClickHouseUrl _url;
    private readonly string _location;
    private readonly IReadOnlyDictionary<string, string> _settings;

    /// <summary>A client for the server of <paramref name="url"/>; <paramref name="settings"/> go with every request.</summary>
    public ClickHouseHttp(ClickHouseUrl url, string location, IReadOnlyDictionary<string, string>? settings = null)
    {
        _url = url;
        _location = location;
        _settings = settings ?? new Dictionary<string, string>();
        _client = new HttpClient(new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            MaxConnectionsPerServer = 256,
            AutomaticDecompression = DecompressionMethods.None,
        })
        {
            BaseAddress = url.Endpoint,
            Timeout = Timeout.InfiniteTimeSpan,
        };
        _client.DefaultRequestHeaders.Authorization = url.Authorization();
    }

    /// <summary>True when request bodies are worth compressing: the server is on another machine.</summary>
    public bool CompressBodies => !_url.IsLoopback;

    /// <summary>
    /// Sends one statement and returns the reply with its body unread; the caller disposes it.
    /// With <paramref name="rows"/>, the statement goes in the URL and the rows are the body.
    /// </summary>
    public async Task<HttpResponseMessage> SendAsync(
        string statement,
        string? sessionId,
        HttpContent? rows = null,
        IReadOnlyDictionary<string, string>? settings = null,
        string? doing = null,
        CancellationToken cancellationToken = default)
    {
        // 18.16 creates a LowCardinality column (a model's low_cardinality, and every table or
        // view whose query reads one, which inherits the type) only with this setting; later
        // servers keep it as an obsolete setting that does nothing.
        var query = new StringBuilder("?database=").Append(Uri.EscapeDataString(_url.Database)).Append("&allow_experimental_low_cardinality_type=1");
        if (sessionId is not null)
        {
            // An hour without a request before the server forgets the session's SETs.
            query.Append("&session_id=").Append(sessionId).Append("&session_timeout=3600");
        }

        if (rows is null)
        {
            query.Append("&wait_end_of_query=1&default_format=TabSeparatedWithNamesAndTypes");
        }
        else
        {
            query.Append("&query=").Append(Uri.EscapeDataString(statement));
        }

        foreach (var (name, value) in settings is null ? _settings : _settings.Concat(settings))
        {
            query.Append('&').Append(Uri.EscapeDataString(name)).Append('=').Append(Uri.EscapeDataString(value));
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, query.ToString())
        {
            Content = rows ?? new StringContent(statement, Encoding.UTF8, "text/plain"),
        };
        HttpResponseMessage response;
        try
        {
            response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            throw ClickHouseErrors.FromConnection(e, _location, doing);
        }

        if (!response.IsSuccessStatusCode)
        {
            using (response)
            {
                string body;
                try
                {
                    body = await response.Content.ReadAsStringAsync(cancellationToken);
                }
                catch (Exception e) when (e is HttpRequestException or IOException)
                {
                    throw ClickHouseErrors.FromConnection(e, _location, doing);
                }

                throw ClickHouseErrors.FromReply(body.Length > 0 ? body : $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}", doing);
            }
        }

        return response;
    }

    /// <summary>Sends a statement whose reply is not needed.</summary>
    public async Task RunAsync(string statement, string? sessionId, string? doing = null, CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(statement, sessionId, null, null, doing, cancellationToken);
        try
        {
            await response.Content.CopyToAsync(Stream.Null, cancellationToken);
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            throw ClickHouseErrors.FromConnection(e, _location, doing);
        }
    }

    public void Dispose() => _client.Dispose();
}
