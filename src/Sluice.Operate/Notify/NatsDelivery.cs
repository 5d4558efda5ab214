using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using NATS.Client.Core;

namespace Sluice.Operate.Notify;

/// <summary>
/// One publish of a body to a NATS channel's subject, on a connection of its own: connect,
/// publish, then PING and wait for the PONG. Core NATS acknowledges nothing, but a server answers
/// a PING only after everything the connection sent before it, so the PONG is the nearest thing
/// to an acknowledgement the protocol has. A message to a subject nobody subscribes to is still
/// delivered as far as NATS is concerned: the server took it.
/// </summary>
/// <remarks>
/// A connection per delivery, rather than one kept open: events come once per sync, and a kept
/// connection would reconnect in the background and hold the process's shutdown. The
/// <c>Nats-Msg-Id</c> header is the delivery's id, the same for each attempt, so that a
/// JetStream stream on the subject drops the copy a retry sends after a lost PONG.
/// </remarks>
internal static class NatsDelivery
{
    public static async Task<AttemptOutcome> PublishAsync(NatsChannel channel, string subject, string deliveryId, byte[] body, CancellationToken cancellationToken)
    {
        var options = NatsOpts.Default with
        {
            // The user info goes in AuthOpts, never in the URL the client may quote in its errors.
            Url = new UriBuilder(channel.Url) { UserName = string.Empty, Password = string.Empty, Port = channel.Url.Port > 0 ? channel.Url.Port : NatsChannel.DefaultPort }.Uri.GetLeftPart(UriPartial.Authority),
            AuthOpts = Auth(channel.Url),
            Name = "sluice",
            LoggerFactory = NullLoggerFactory.Instance,
            ConnectTimeout = channel.Timeout,
            CommandTimeout = channel.Timeout,
            RequestTimeout = channel.Timeout,
            // One attempt per call: the notifier's retries, with their delays and records, are the only ones.
            RetryOnInitialConnect = false,
            MaxReconnectRetry = 0,
        };

        await using var connection = new NatsConnection(options);
        try
        {
            await connection.ConnectAsync().AsTask().WaitAsync(cancellationToken);
            var headers = new NatsHeaders { ["Nats-Msg-Id"] = deliveryId, ["Content-Type"] = "application/json" };
            await connection.PublishAsync(subject, body, headers, cancellationToken: cancellationToken);
            await connection.PingAsync(cancellationToken);
            return AttemptOutcome.Success();
        }
        catch (NatsException e)
        {
            var message = Describe(e);

            // A refused user or password does not mend by trying again; a server that is down or restarting may.
            var refused = message.Contains("Authorization Violation", StringComparison.OrdinalIgnoreCase)
                || message.Contains("Authentication", StringComparison.OrdinalIgnoreCase);
            return AttemptOutcome.Failure(refused ? $"{message}; check the user and password in the channel's url" : message, retryable: !refused);
        }
        catch (Exception e) when (e is SocketException or IOException or TimeoutException)
        {
            return AttemptOutcome.Failure(Describe(e), retryable: true);
        }
    }

    // nats://user:password@host is a user and password; nats://token@host a token, as other NATS clients read it.
    private static NatsAuthOpts Auth(Uri url)
    {
        if (url.UserInfo.Length == 0)
        {
            return NatsAuthOpts.Default;
        }

        var colon = url.UserInfo.IndexOf(':', StringComparison.Ordinal);
        return colon < 0
            ? NatsAuthOpts.Default with { Token = Uri.UnescapeDataString(url.UserInfo) }
            : NatsAuthOpts.Default with { Username = Uri.UnescapeDataString(url.UserInfo[..colon]), Password = Uri.UnescapeDataString(url.UserInfo[(colon + 1)..]) };
    }

    private static string Describe(Exception e)
    {
        var message = e.Message.TrimEnd('.');
        for (var inner = e.InnerException; inner is not null; inner = inner.InnerException)
        {
            var text = inner.Message.TrimEnd('.');
            if (text.Length > 0 && !message.Contains(text, StringComparison.Ordinal))
            {
                message += $": {text}";
            }
        }

        return message;
    }
}
