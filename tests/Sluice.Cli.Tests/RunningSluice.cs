using System.Diagnostics;

namespace Sluice.Cli.Tests;

/// <summary>
/// A sluice process the test watches while it runs (its models may wait on the test) and waits
/// for later; disposing kills it if it is still running.
/// </summary>
public sealed class RunningSluice : IAsyncDisposable
{
    // A guard against a hung process, not a measure of speed (as in SluiceProcess).
    private static readonly TimeSpan HangGuard = TimeSpan.FromMinutes(10);

    private readonly Process _process;
    private readonly Task<string> _output;
    private readonly Task<string> _errors;
    private readonly string _command;

    private RunningSluice(Process process, string command)
    {
        _process = process;
        _command = command;
        _output = process.StandardOutput.ReadToEndAsync();
        _errors = process.StandardError.ReadToEndAsync();
    }

    public bool HasExited => _process.HasExited;

    /// <summary>Starts <c>sluice</c> with <paramref name="arguments"/> in <paramref name="workingDirectory"/>.</summary>
    public static RunningSluice Start(string workingDirectory, params string[] arguments) => Start(workingDirectory, arguments, null);

    /// <summary>
    /// Starts <c>sluice</c> with <paramref name="arguments"/> in <paramref name="workingDirectory"/>,
    /// with <paramref name="environment"/> over the test's own: a null value removes the variable.
    /// </summary>
    public static RunningSluice Start(string workingDirectory, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string?>? environment)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(SluiceProcess.AppPath);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment.Remove("COLUMNS");
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                start.Environment.Remove(name);
            }
            else
            {
                start.Environment[name] = value;
            }
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start dotnet.");
        process.StandardInput.Close();
        return new RunningSluice(process, "sluice " + string.Join(' ', arguments));
    }

    /// <summary>Waits for the process to end and returns what it printed.</summary>
    public async Task<SluiceResult> WaitAsync()
    {
        using var timeout = new CancellationTokenSource(HangGuard);
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"{_command} did not finish within {HangGuard.TotalMinutes} minutes; it is taken to hang.");
        }

        return new SluiceResult(_process.ExitCode, await _output, await _errors);
    }

    /// <summary>The command and whether it has ended, for failure messages.</summary>
    public override string ToString() => _process.HasExited ? $"{_command} (exited with {_process.ExitCode})" : $"{_command} (still running)";

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        await Task.WhenAll(_output, _errors);
        _process.Dispose();
    }
}
