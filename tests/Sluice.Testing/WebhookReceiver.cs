using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Sluice.Testing;

/// <summary>What a <see cref="WebhookReceiver"/> answers a request with.</summary>
public abstract record ReceiverAnswer
{
    /// <summary>An answer with <paramref name="code"/>, an optional body and headers.</summary>
    public static ReceiverAnswer Status(int code, string body = "", params (string Name, string Value)[] headers) => new Reply(code, body, headers);

    /// <summary>No answer: the request is held until the client gives up or the receiver stops.</summary>
    public static ReceiverAnswer Hang { get; } = new Held();

    internal sealed record Reply(int Code, string Body, (string Name, string Value)[] Headers) : ReceiverAnswer;

    internal sealed record Held : ReceiverAnswer;
}

/// <summary>A request a <see cref="WebhookReceiver"/> got.</summary>
/// <param name="Number">Its number, from 1.</param>
/// <param name="Method">GET, POST …</param>
/// <param name="Path">The path and query.</param>
/// <param name="Headers">Its headers, names in lower case, values joined by ", ".</param>
/// <param name="Body">Its body as UTF-8 text.</param>
/// <param name="At">When it arrived, on the receiver's clock.</param>
public sealed record ReceivedRequest(int Number, string Method, string Path, IReadOnlyDictionary<string, string> Headers, string Body, DateTimeOffset At);

/// <summary>
/// A real HTTP server on a free loopback port (Kestrel, port 0) that records every request and
/// answers as its script says: 200 by default, or by request number (500 then 200, always 500,
/// hang). Stopped on dispose; <see cref="StopAsync"/> takes it down earlier, to play a receiver
/// that is down.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);
    private readonly ConcurrentQueue<ReceivedRequest> _requests = new();
    private readonly WebApplication _app;
    private readonly Func<int, ReceiverAnswer> _script;
    private readonly Func<DateTimeOffset> _clock;
    private int _count;
    private bool _stopped;

    private WebhookReceiver(WebApplication app, Func<int, ReceiverAnswer> script, Func<DateTimeOffset> clock)
    {
        _app = app;
        _script = script;
        _clock = clock;
    }

    /// <summary>The server's address: http://127.0.0.1:PORT/.</summary>
    public Uri Url { get; private set; } = null!;

    /// <summary>The requests so far, in arrival order.</summary>
    public IReadOnlyList<ReceivedRequest> Requests => [.. _requests];

    /// <summary>Starts a receiver that answers request n with <paramref name="script"/>(n), and dates requests by <paramref name="clock"/>.</summary>
    public static async Task<WebhookReceiver> StartAsync(Func<int, ReceiverAnswer>? script = null, Func<DateTimeOffset>? clock = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        builder.Services.Configure<HostOptions>(options => options.ShutdownTimeout = TimeSpan.FromSeconds(5));
        var app = builder.Build();
        var receiver = new WebhookReceiver(app, script ?? (_ => ReceiverAnswer.Status(200, "ok")), clock ?? (() => DateTimeOffset.UtcNow));
        app.Run(receiver.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        receiver.Url = new Uri(address.EndsWith('/') ? address : address + "/");
        return receiver;
    }

    /// <summary>The URL of <paramref name="path"/> on this receiver, such as <c>services/T0/B0/secret</c>.</summary>
    public Uri UrlFor(string path) => new(Url, path);

    /// <summary>Waits until <paramref name="count"/> requests have arrived; fails after a minute.</summary>
    public async Task WaitForRequestsAsync(int count)
    {
        var deadline = DateTime.UtcNow + Deadline;
        while (_requests.Count < count)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Gave up waiting for request {count}; {_requests.Count} arrived.");
            }

            await Task.Delay(5);
        }
    }

    /// <summary>Stops listening: later requests are refused, held ones are let go.</summary>
    public async Task StopAsync()
    {
        if (!_stopped)
        {
            _stopped = true;
            await _app.StopAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync(context.RequestAborted);
        var number = Interlocked.Increment(ref _count);
        var answer = _script(number);
        _requests.Enqueue(new ReceivedRequest(
            number,
            context.Request.Method,
            context.Request.Path + context.Request.QueryString,
            context.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString()),
            body,
            _clock()));
        switch (answer)
        {
            case ReceiverAnswer.Reply reply:
                context.Response.StatusCode = reply.Code;
                foreach (var (name, value) in reply.Headers)
                {
                    context.Response.Headers[name] = value;
                }

                await context.Response.WriteAsync(reply.Body, context.RequestAborted);
                break;
            default:
                using (var either = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _app.Lifetime.ApplicationStopping))
                {
                    try
                    {
                        await Task.Delay(Timeout.Infinite, either.Token);
                    }
                    catch (OperationCanceledException)
                    {
                        // The client gave up, or the receiver stops.
                    }
                }

                break;
        }
    }
}
