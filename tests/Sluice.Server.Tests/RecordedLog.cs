using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Logging;

namespace Sluice.Server.Tests;

/// <summary>One entry a server logged: its message as a log sink would write it, and each structured value.</summary>
public sealed record LogEntry(string Category, LogLevel Level, EventId EventId, string Message, IReadOnlyDictionary<string, string?> Values, Exception? Exception)
{
    /// <summary>Everything of the entry a sink could write: message, values, and the exception with its stack.</summary>
    public string AllText => string.Join('\n', [Message, .. Values.Select(v => $"{v.Key}={v.Value}"), Exception?.ToString() ?? string.Empty]);
}

/// <summary>
/// A log provider that keeps what the server logs, for tests that look at the log itself:
/// passed to <see cref="SluiceServer.StartAsync"/> as the server's log provider, in place of
/// the JSON console that <c>sluice serve</c> writes to.
/// </summary>
public sealed class RecordedLog : ILoggerProvider
{
    private readonly ConcurrentQueue<LogEntry> _entries = new();

    public IReadOnlyList<LogEntry> Entries => [.. _entries];

    /// <summary>
    /// Adds this provider with the levels <c>sluice serve</c> keeps for the framework's own
    /// categories (Warning), and every level of Sluice's: a test then sees at least what a
    /// deployed server would write.
    /// </summary>
    public void AddTo(ILoggingBuilder logging) => logging
        .AddProvider(this)
        .SetMinimumLevel(LogLevel.Trace)
        .AddFilter("Microsoft", LogLevel.Warning)
        .AddFilter("System", LogLevel.Warning);

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _entries);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, ConcurrentQueue<LogEntry> entries) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var values = new Dictionary<string, string?>(StringComparer.Ordinal);
            foreach (var (key, value) in state as IEnumerable<KeyValuePair<string, object?>> ?? [])
            {
                values[key] = Convert.ToString(value, CultureInfo.InvariantCulture);
            }

            entries.Enqueue(new LogEntry(category, logLevel, eventId, formatter(state, exception), values, exception));
        }
    }
}
