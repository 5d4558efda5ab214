using System.Diagnostics;
using System.Globalization;

namespace Sluice.Cli.Tests;

/// <summary>
/// A sluice command started in the background, to be signalled while it works, as a terminal's
/// Ctrl+C (SIGINT) or a service manager's stop (SIGTERM) signals it. Killed when disposed if it is
/// still running, so that a failing test leaves nothing holding the DuckDB file.
/// </summary>
public sealed class StartedSluice : IDisposable
{
    // Guards against a process that never ends, not measures of speed.
    private static readonly TimeSpan ExitGuard = TimeSpan.FromMinutes(2);

    private readonly Process _process;
    private readonly Task<string> _stdout;
    private readonly Task<string> _stderr;
    private readonly IReadOnlyList<string> _arguments;

    private StartedSluice(Process process, IReadOnlyList<string> arguments)
    {
        (_process, _arguments) = (process, arguments);
        _stdout = process.StandardOutput.ReadToEndAsync();
        _stderr = process.StandardError.ReadToEndAsync();
    }

    public int ProcessId => _process.Id;

    public bool HasExited => _process.HasExited;

    public static StartedSluice Start(string workingDirectory, params string[] arguments)
    {
        // Through env(1), which resets SIGINT to its default and execs dotnet in the same process:
        // a suite started as a shell's background job (`./test.sh &`) hands every child SIGINT
        // ignored, as POSIX asks, and an ignored Ctrl+C is not one the tests can send. A terminal's
        // foreground command, which these tests stand for, receives it.
        var start = new ProcessStartInfo("env") { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("--default-signal=INT");
        start.ArgumentList.Add("dotnet");
        start.ArgumentList.Add(SluiceProcess.AppPath);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment.Remove("COLUMNS");
        return new StartedSluice(Process.Start(start) ?? throw new InvalidOperationException("Could not start env dotnet."), arguments);
    }

    /// <summary>Sends <paramref name="signal"/> (INT, TERM) with kill(1), as a shell or a service manager does.</summary>
    public static async Task SignalAsync(int processId, string signal)
    {
        using var kill = Process.Start("kill", [$"-{signal}", processId.ToString(CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
        Assert.True(kill.ExitCode == 0, $"kill -{signal} {processId} failed with exit code {kill.ExitCode}");
    }

    /// <summary>
    /// Waits until <paramref name="file"/> exists, failing the test if the process exits first
    /// or the file has not appeared within <paramref name="guard"/>.
    /// </summary>
    public async Task WaitForFileAsync(string file, TimeSpan guard)
    {
        var clock = Stopwatch.StartNew();
        while (!File.Exists(file))
        {
            if (_process.HasExited)
            {
                Assert.Fail($"sluice {string.Join(' ', _arguments)} ended before {Path.GetFileName(file)} appeared: {await ExitAsync()}");
            }

            if (clock.Elapsed > guard)
            {
                Assert.Fail($"{Path.GetFileName(file)} did not appear within {guard.TotalSeconds} s of starting sluice {string.Join(' ', _arguments)}.");
            }

            await Task.Delay(20);
        }
    }

    public Task SignalAsync(string signal) => SignalAsync(_process.Id, signal);

    /// <summary>Waits for the process to exit; what it printed and returned.</summary>
    public async Task<SluiceResult> ExitAsync()
    {
        using (var guard = new CancellationTokenSource(ExitGuard))
        {
            try
            {
                await _process.WaitForExitAsync(guard.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
                Assert.Fail($"sluice {string.Join(' ', _arguments)} did not exit within {ExitGuard.TotalMinutes} minutes.");
            }
        }

        return new SluiceResult(_process.ExitCode, await _stdout, await _stderr);
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }

        _process.Dispose();
    }
}
