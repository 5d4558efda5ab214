using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace Sluice.Cli.Tests;

/// <summary>
/// A <c>sluice schedule</c> process whose JSON log lines the test reads as they come, to wait
/// for what it logs; stopped with SIGTERM as a service manager stops it, or killed.
/// </summary>
public sealed class ScheduledProcess : IAsyncDisposable
{
    // Guards against a process that never logs or never stops, not measures of speed.
    private static readonly TimeSpan Guard = TimeSpan.FromMinutes(3);

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly Task _reading;
    private readonly Task<string> _output;

    private ScheduledProcess(Process process)
    {
        _process = process;
        _output = process.StandardOutput.ReadToEndAsync();
        _reading = Task.Run(async () =>
        {
            while (await process.StandardError.ReadLineAsync() is { } line)
            {
                _lines.Enqueue(line);
            }
        });
    }

    public int ProcessId => _process.Id;

    public int ExitCode => _process.ExitCode;

    /// <summary>The lines written to standard error so far.</summary>
    public IReadOnlyList<string> Lines => [.. _lines];

    /// <summary>The log lines so far that are JSON objects with an "event".</summary>
    public IReadOnlyList<JsonElement> Events => [.. _lines.Select(Parse).OfType<JsonElement>()];

    public static ScheduledProcess Start(string directory, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments.Prepend("schedule").Prepend(SluiceProcess.AppPath))
        {
            start.ArgumentList.Add(argument);
        }

        return new ScheduledProcess(Process.Start(start)!);
    }

    /// <summary>Waits until the events logged so far satisfy <paramref name="condition"/>; fails if the process exits first.</summary>
    public async Task WaitForAsync(Func<IReadOnlyList<JsonElement>, bool> condition, string what)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition(Events))
        {
            if (_process.HasExited)
            {
                await _reading;
                if (condition(Events))
                {
                    return;
                }

                Assert.Fail($"sluice schedule exited with {_process.ExitCode} before {what}:\n{string.Join('\n', Lines)}");
            }

            if (deadline.Elapsed > Guard)
            {
                Assert.Fail($"sluice schedule did not get to {what} within {Guard.TotalMinutes} minutes:\n{string.Join('\n', Lines)}");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>The events named <paramref name="name"/>, optionally of one schedule.</summary>
    public static IEnumerable<JsonElement> Named(IEnumerable<JsonElement> events, string name, string? schedule = null) =>
        events.Where(e => e.GetProperty("event").GetString() == name
            && (schedule is null || (e.TryGetProperty("schedule", out var s) && s.GetString() == schedule)));

    /// <summary>Sends <paramref name="signal"/> (TERM, INT, KILL) and waits for the process to exit.</summary>
    public async Task SignalAndWaitAsync(string signal)
    {
        if (!_process.HasExited)
        {
            using (var kill = Process.Start("kill", [$"-{signal}", _process.Id.ToString(CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync();
            }

            using var timeout = new CancellationTokenSource(Guard);
            await _process.WaitForExitAsync(timeout.Token);
        }

        await Task.WhenAll(_reading, _output);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await SignalAndWaitAsync("KILL");
        }
        finally
        {
            _process.Dispose();
        }
    }

    private static JsonElement? Parse(string line)
    {
        if (!line.StartsWith('{'))
        {
            return null;
        }

        try
        {
            var element = JsonDocument.Parse(line).RootElement;
            return element.TryGetProperty("event", out _) ? element : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
