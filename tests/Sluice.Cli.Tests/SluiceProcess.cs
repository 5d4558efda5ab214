using System.Diagnostics;

namespace Sluice.Cli.Tests;

/// <summary>What a finished sluice process printed and returned.</summary>
public sealed record SluiceResult(int ExitCode, string Stdout, string Stderr)
{
    public override string ToString() => $"exit code {ExitCode}\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}";
}

/// <summary>
/// Runs the real sluice CLI as a child process: `dotnet sluice.dll`, the build copied next to
/// the tests by the project reference.
/// </summary>
public static class SluiceProcess
{
    // A guard against a hung process, not a measure of speed: on a loaded machine a whole demo
    // takes minutes, and a run that is merely slow must not fail.
    private static readonly TimeSpan HangGuard = TimeSpan.FromMinutes(10);

    public static string AppPath { get; } = Path.Combine(AppContext.BaseDirectory, "sluice.dll");

    public static Task<SluiceResult> RunAsync(string workingDirectory, params string[] arguments) =>
        RunAsync(workingDirectory, arguments, standardInput: null, environment: null);

    public static async Task<SluiceResult> RunAsync(
        string workingDirectory,
        IReadOnlyList<string> arguments,
        string? standardInput,
        IReadOnlyDictionary<string, string?>? environment)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(AppPath);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // A narrow terminal on the test machine must not change how tables are drawn.
        start.Environment.Remove("COLUMNS");
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start dotnet.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (standardInput is not null)
        {
            await process.StandardInput.WriteAsync(standardInput);
        }

        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(HangGuard);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"sluice {string.Join(' ', arguments)} did not finish within {HangGuard.TotalMinutes} minutes; it is taken to hang.");
        }

        return new SluiceResult(process.ExitCode, await stdout, await stderr);
    }
}
