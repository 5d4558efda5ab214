using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace Sluice.Server.Tests;

/// <summary>
/// Every error the server sends is an RFC 7807 problem with a request id, including for requests
/// that HTTP clients refuse to send and that the HTTP server itself turns away: over-long request
/// lines and headers, NUL bytes and bad percent-encoding, unknown methods and routes, bad Host
/// headers, bodies too large or not JSON. Sent over a raw TCP socket, byte for byte.
/// </summary>
public sealed class ErrorResponseTests(DuckDbServedProject project) : IClassFixture<DuckDbServedProject>
{
    private const string Trend = "/api/v1/metrics/outcome_score/trend";

    private static readonly Dictionary<string, (string Request, int Status)> Cases = new()
    {
        ["a 70 KB query string"] = (Get($"{Trend}?filter[program]={new string('a', 70_000)}"), 414),
        ["a 200 KB query string"] = (Get($"{Trend}?filter[program]={new string('a', 200_000)}"), 414),
        ["a 300 KB query string"] = (Get($"{Trend}?filter[program]={new string('a', 300_000)}"), 414),
        ["a header of 300 KB"] = (Get(Trend, $"X-Padding: {new string('a', 300_000)}\r\n"), 431),
        ["%00 in the path"] = (Get("/api/v1/metrics/%00/trend"), 400),
        ["%00 in a query value"] = (Get($"{Trend}?filter[program]=%00"), 400),
        ["%00 in a query name"] = (Get($"{Trend}?filter[pro%00gram]=x"), 400),
        ["invalid percent-encoding in the path"] = (Get("/api/v1/metrics/%zz%/trend"), 404),
        ["invalid UTF-8 in the path"] = (Get("/api/v1/metrics/%C0%AF/trend"), 404),
        ["invalid percent-encoding in a query value"] = (Get($"{Trend}?from=%zz"), 400),
        ["a header of 40 KB"] = (Get(Trend, $"X-Padding: {new string('a', 40_000)}\r\n"), 431),
        ["an unknown method"] = ("BREW /api/v1/metrics HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n", 405),
        ["an unknown route"] = (Get("/nothing/here"), 404),
        ["a bad Host"] = ("GET /api/v1/metrics HTTP/1.1\r\nHost: bad host\r\nConnection: close\r\n\r\n", 400),
        ["no Host"] = ("GET /api/v1/metrics HTTP/1.1\r\nConnection: close\r\n\r\n", 400),
        ["a request line that is not HTTP"] = ("HELLO\r\n\r\n", 400),
        ["an HTTP version the server does not speak"] = ("GET /api/v1/metrics HTTP/1.2\r\nHost: localhost\r\n\r\n", 505),
        ["a header without a colon"] = ("GET /api/v1/metrics HTTP/1.1\r\nHost: localhost\r\nnot a header\r\n\r\n", 400),
        ["a body too large"] = ("POST /api/v1/jobs HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 2000000\r\nConnection: close\r\n\r\n", 413),
        ["a body without a media type"] = ("POST /api/v1/jobs HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5\r\nConnection: close\r\n\r\nbuild", 400),
        ["a body that is not JSON"] = ("POST /api/v1/jobs HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/plain\r\nContent-Length: 5\r\nConnection: close\r\n\r\nbuild", 415),
    };

    public static TheoryData<string> Names => [.. Cases.Keys];

    [Theory]
    [MemberData(nameof(Names))]
    public async Task Every_error_is_a_problem_with_a_request_id(string name)
    {
        var (request, expected) = Cases[name];
        var answer = await SendAsync(project.Server.Address, request);

        Assert.True(answer.Status == expected, $"{name}: {answer.Status} {answer.Head}\n{answer.Body}");
        Assert.True(answer.Headers.GetValueOrDefault("content-type")?.StartsWith("application/problem+json", StringComparison.Ordinal) == true, $"{name}: {answer.Head}\n{answer.Body}");
        var problem = JsonDocument.Parse(answer.Body).RootElement;
        Assert.Equal(expected, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("detail").GetString()));
        var id = problem.GetProperty("request_id").GetString();
        Assert.False(string.IsNullOrEmpty(id));
        Assert.Equal(id, answer.Headers.GetValueOrDefault("x-request-id"));
    }

    [Fact]
    public async Task A_request_the_HTTP_server_refuses_keeps_the_clients_request_id()
    {
        var answer = await SendAsync(project.Server.Address, "GET /api/v1/metrics HTTP/1.1\r\nHost: bad host\r\nX-Request-Id: client-id-7\r\n\r\n");

        Assert.Equal(400, answer.Status);
        Assert.Equal("client-id-7", answer.Headers.GetValueOrDefault("x-request-id"));
        Assert.Equal("client-id-7", JsonDocument.Parse(answer.Body).RootElement.GetProperty("request_id").GetString());
    }

    [Fact]
    public async Task The_server_answers_on_after_refusing_malformed_requests()
    {
        foreach (var (request, _) in Cases.Values)
        {
            await SendAsync(project.Server.Address, request);
        }

        Assert.Equal("ok", (await project.GetAsync("/health")).GetProperty("status").GetString());
    }

    private static string Get(string target, string headers = "") =>
        $"GET {target} HTTP/1.1\r\nHost: localhost\r\n{headers}Connection: close\r\n\r\n";

    private sealed record Answer(int Status, string Head, Dictionary<string, string> Headers, string Body);

    /// <summary>Sends <paramref name="request"/> as it is and reads one response (by its Content-Length or chunks, else to the end).</summary>
    private static async Task<Answer> SendAsync(Uri server, string request)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(server.Host, server.Port);
        await using var stream = client.GetStream();
        await stream.WriteAsync(Encoding.Latin1.GetBytes(request));

        var received = new List<byte>();
        var buffer = new byte[64 * 1024];
        int headEnd;
        while ((headEnd = IndexOf(received, "\r\n\r\n"u8)) < 0)
        {
            var read = await stream.ReadAsync(buffer);
            Assert.True(read > 0, $"The connection closed before a whole response head: {Encoding.Latin1.GetString([.. received])}");
            received.AddRange(buffer.AsSpan(0, read));
        }

        var head = Encoding.Latin1.GetString([.. received], 0, headEnd);
        var lines = head.Split("\r\n");
        var status = int.Parse(lines[0].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        var headers = lines.Skip(1).Select(l => l.Split(':', 2)).ToDictionary(p => p[0].Trim().ToLowerInvariant(), p => p[1].Trim());
        var body = received.Skip(headEnd + 4).ToList();

        async Task<bool> MoreAsync()
        {
            var read = await stream.ReadAsync(buffer);
            body.AddRange(buffer.AsSpan(0, read));
            return read > 0;
        }

        if (headers.TryGetValue("content-length", out var length))
        {
            while (body.Count < int.Parse(length, System.Globalization.CultureInfo.InvariantCulture) && await MoreAsync())
            {
            }
        }
        else if (headers.GetValueOrDefault("transfer-encoding") == "chunked")
        {
            while (IndexOf(body, "0\r\n\r\n"u8) < 0 && await MoreAsync())
            {
            }

            body = Unchunk(body);
        }
        else
        {
            while (await MoreAsync())
            {
            }
        }

        return new Answer(status, head, headers, Encoding.UTF8.GetString([.. body]));
    }

    private static List<byte> Unchunk(List<byte> chunked)
    {
        var body = new List<byte>();
        var at = 0;
        while (true)
        {
            var end = IndexOf(chunked.Skip(at).ToList(), "\r\n"u8) + at;
            var size = Convert.ToInt32(Encoding.Latin1.GetString([.. chunked.Skip(at).Take(end - at)]).Split(';')[0], 16);
            if (size == 0)
            {
                return body;
            }

            body.AddRange(chunked.Skip(end + 2).Take(size));
            at = end + 2 + size + 2;
        }
    }

    private static int IndexOf(List<byte> bytes, ReadOnlySpan<byte> value) =>
        System.Runtime.InteropServices.CollectionsMarshal.AsSpan(bytes).IndexOf(value);
}
