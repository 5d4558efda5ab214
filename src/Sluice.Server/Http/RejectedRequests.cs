using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.IO.Pipelines;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Logging;
using Microsoft.Net.Http.Headers;
using Sluice.Server.Observability;

namespace Sluice.Server.Http;

/// <summary>
/// Problems for the requests Kestrel refuses before any middleware runs: a request line or
/// headers it cannot parse, a NUL in the path, a missing or malformed Host, a request line or
/// headers past its limits. Kestrel answers those itself with an empty body, and it has no hook
/// to change that answer; so a connection middleware (<see cref="Use"/>) puts a writer between
/// Kestrel and the socket, and Kestrel's <c>BadRequest</c> diagnostic event, raised as it
/// decides to refuse and before it writes anything, has that writer send a problem with the same
/// status and a request id instead of Kestrel's bytes. Kestrel closes the connection after a
/// refusal, so nothing else is written to it. HTTP/1.1 only, which is what the server speaks.
/// </summary>
internal sealed partial class RejectedRequests(ILogger<RejectedRequests> logger) : IObserver<KeyValuePair<string, object?>>
{
    private const string BadRequestEvent = "Microsoft.AspNetCore.Server.Kestrel.BadRequest";

    // The longest part of Kestrel's reason quoted in a detail.
    private const int MaxReason = 300;

    private readonly ConcurrentDictionary<string, ProblemWriter> _connections = new(StringComparer.Ordinal);

    /// <summary>The connection middleware: each connection's output goes through a <see cref="ProblemWriter"/> while it lasts.</summary>
    public ConnectionDelegate Use(ConnectionDelegate next) => async connection =>
    {
        var transport = connection.Transport;
        var writer = new ProblemWriter(transport.Output);
        connection.Transport = new DuplexPipe(transport.Input, writer);
        _connections[connection.ConnectionId] = writer;
        try
        {
            await next(connection);
        }
        finally
        {
            _connections.TryRemove(connection.ConnectionId, out _);
            connection.Transport = transport;
        }
    };

    /// <summary>Listens to Kestrel's refusals on <paramref name="listener"/>, the server's own; dispose the result to stop.</summary>
    public IDisposable Observe(DiagnosticListener listener) => listener.Subscribe(this, name => name == BadRequestEvent);

    public void OnNext(KeyValuePair<string, object?> value)
    {
        // Raised inside Kestrel's handling of the refusal, which must go on whatever happens here.
        try
        {
            if (value.Key == BadRequestEvent && value.Value is IFeatureCollection features)
            {
                Refused(features);
            }
        }
        catch (Exception e)
        {
            CouldNotAnswer(logger, e);
        }
    }

    public void OnError(Exception error)
    {
    }

    public void OnCompleted()
    {
    }

    private void Refused(IFeatureCollection features)
    {
        var response = features.Get<IHttpResponseFeature>();
        if (response is null || response.HasStarted
            || features.Get<IHttpConnectionFeature>()?.ConnectionId is not { } connection
            || !_connections.TryGetValue(connection, out var writer))
        {
            // An error found after the answer started (reading the rest of a body) leaves the answer as it is.
            return;
        }

        var request = features.Get<IHttpRequestFeature>();
        var requestId = RequestLog.IdOf(request?.Headers ?? new HeaderDictionary());
        var status = response.StatusCode;
        var reason = Reason(features.Get<IBadRequestExceptionFeature>()?.Error);
        var detail = status switch
        {
            StatusCodes.Status414UriTooLong => $"The request line is longer than the server reads; send less in the query string. ({reason})",
            StatusCodes.Status431RequestHeaderFieldsTooLarge => $"The request's headers are larger than the server reads; send fewer or shorter ones. ({reason})",
            _ => $"The request is not one the server can read: {reason}. Check it against HTTP/1.1 (RFC 9112): the request line, the Host header, percent-encoding without %00 in the path.",
        };
        var path = request?.Path;
        var problem = ProblemResponses.Create(status, detail, string.IsNullOrEmpty(path) ? null : path, requestId);
        var body = JsonSerializer.SerializeToUtf8Bytes(problem, ApiJson.Options);

        var head = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"HTTP/1.1 {status} {ReasonPhrases.GetReasonPhrase(status)}\r\n")
            .Append(CultureInfo.InvariantCulture, $"Content-Type: application/problem+json\r\nContent-Length: {body.Length}\r\n")
            .Append(CultureInfo.InvariantCulture, $"Date: {DateTimeOffset.UtcNow:r}\r\nConnection: close\r\n{RequestLog.Header}: {requestId}\r\n");
        if (response.Headers.TryGetValue(HeaderNames.Allow, out var allow))
        {
            head.Append(CultureInfo.InvariantCulture, $"{HeaderNames.Allow}: {allow}\r\n");
        }

        head.Append("\r\n");
        var answer = Encoding.ASCII.GetBytes(head.ToString());
        writer.Replace(HttpMethods.IsHead(request?.Method ?? "") ? answer : [.. answer, .. body]);
        Answered(logger, requestId, status, reason);
    }

    // Kestrel's message, on one line and not too long, without the bytes it quotes (when its
    // own logging is on at Information): they may be a header holding an API key, and both the
    // answer and the log would show them.
    private static string Reason(Exception? error)
    {
        var text = (error?.Message ?? "malformed request").ReplaceLineEndings(" ").Trim().TrimEnd('.');
        var quote = text.IndexOf(": '", StringComparison.Ordinal);
        text = quote >= 0 ? text[..quote] : text;
        return text.Length <= MaxReason ? text : text[..(MaxReason - 3)] + "...";
    }

    [LoggerMessage(EventId = 4, Level = LogLevel.Information, Message = "{RequestId} refused by the HTTP server with {Status}: {Reason}")]
    private static partial void Answered(ILogger logger, string requestId, int status, string reason);

    [LoggerMessage(EventId = 5, Level = LogLevel.Warning, Message = "A request the HTTP server refused keeps its empty answer")]
    private static partial void CouldNotAnswer(ILogger logger, Exception error);

    private sealed class DuplexPipe(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input => input;

        public PipeWriter Output => output;
    }

    /// <summary>
    /// Passes Kestrel's output to the socket until <see cref="Replace"/>; from then on, drops
    /// what Kestrel writes (its refusal) and sends the replacement at the next flush.
    /// </summary>
    private sealed class ProblemWriter(PipeWriter inner) : PipeWriter
    {
        private volatile bool _replaced;
        private byte[]? _pending;
        private byte[] _scratch = [];

        public void Replace(byte[] response)
        {
            Volatile.Write(ref _pending, response);
            _replaced = true;
        }

        public override bool CanGetUnflushedBytes => inner.CanGetUnflushedBytes;

        public override long UnflushedBytes => inner.UnflushedBytes;

        public override Memory<byte> GetMemory(int sizeHint = 0) => _replaced ? Scratch(sizeHint) : inner.GetMemory(sizeHint);

        public override Span<byte> GetSpan(int sizeHint = 0) => _replaced ? Scratch(sizeHint).Span : inner.GetSpan(sizeHint);

        public override void Advance(int bytes)
        {
            if (!_replaced)
            {
                inner.Advance(bytes);
            }
        }

        public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default)
        {
            WritePending();
            return inner.FlushAsync(cancellationToken);
        }

        public override void CancelPendingFlush() => inner.CancelPendingFlush();

        public override void Complete(Exception? exception = null)
        {
            WritePending();
            inner.Complete(exception);
        }

        public override ValueTask CompleteAsync(Exception? exception = null)
        {
            WritePending();
            return inner.CompleteAsync(exception);
        }

        private void WritePending()
        {
            if (_replaced && Interlocked.Exchange(ref _pending, null) is { } response)
            {
                inner.Write(response);
            }
        }

        private Memory<byte> Scratch(int sizeHint)
        {
            if (_scratch.Length < Math.Max(sizeHint, 4096))
            {
                _scratch = new byte[Math.Max(sizeHint, 4096)];
            }

            return _scratch;
        }
    }
}
