using System.Net;
using System.Net.Sockets;

namespace Sluice.Bench;

/// <summary>
/// A loopback HTTP relay in front of ClickHouse's HTTP interface that keeps the text of every
/// statement passing through it: how the benchmark learns the exact SQL Sluice sent for a
/// request. It is used on a server of its own, never on the timed requests.
/// </summary>
internal sealed class StatementRecorder : IAsyncDisposable
{
    private static readonly HashSet<string> HopHeaders = new(["Host", "Connection", "Keep-Alive", "Transfer-Encoding", "Content-Length"], StringComparer.OrdinalIgnoreCase);

    private readonly HttpListener _listener = new();
    private readonly HttpClient _client = new();
    private readonly Uri _target;
    private readonly List<string> _statements = [];
    private readonly Task _serving;

    public StatementRecorder(int targetPort)
    {
        _target = new Uri($"http://127.0.0.1:{targetPort}");
        Port = FreePort();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _serving = Task.Run(ServeAsync);
    }

    public int Port { get; }

    /// <summary>Takes the statements recorded since the last call.</summary>
    public IReadOnlyList<string> Take()
    {
        lock (_statements)
        {
            var taken = _statements.ToList();
            _statements.Clear();
            return taken;
        }
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            _ = Task.Run(() => RelayAsync(context));
        }
    }

    private async Task RelayAsync(HttpListenerContext context)
    {
        var body = await new StreamReader(context.Request.InputStream).ReadToEndAsync();
        // Statements whose rows are the body carry the statement in the URL; those are loads, not reads.
        if (body.Length > 0 && context.Request.QueryString["query"] is null)
        {
            lock (_statements)
            {
                _statements.Add(body);
            }
        }

        using var request = new HttpRequestMessage(new HttpMethod(context.Request.HttpMethod), new Uri(_target, context.Request.RawUrl))
        {
            Content = new StringContent(body),
        };
        foreach (var name in context.Request.Headers.AllKeys.OfType<string>().Where(n => !HopHeaders.Contains(n) && !n.StartsWith("Content-", StringComparison.OrdinalIgnoreCase)))
        {
            request.Headers.TryAddWithoutValidation(name, context.Request.Headers[name]);
        }

        using var response = await _client.SendAsync(request);
        context.Response.StatusCode = (int)response.StatusCode;
        foreach (var (name, values) in response.Headers.Concat(response.Content.Headers).Where(h => !HopHeaders.Contains(h.Key)))
        {
            context.Response.Headers[name] = string.Join(", ", values);
        }

        var bytes = await response.Content.ReadAsByteArrayAsync();
        context.Response.ContentLength64 = bytes.Length;
        await context.Response.OutputStream.WriteAsync(bytes);
        context.Response.Close();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        await _serving;
        _client.Dispose();
    }
}
