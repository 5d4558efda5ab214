using System.Diagnostics;

namespace Sluice.Bench.Chaos;

/// <summary>What a sluice process printed and returned, and whether the suite killed it before it finished.</summary>
public sealed record CliResult(int ExitCode, string Stdout, string Stderr, TimeSpan Elapsed, bool Killed)
{
    public string Output => Stdout + Stderr;

    /// <summary>The first line of standard error, for a failure's message.</summary>
    public string FirstError => Stderr.Split('\n', 2)[0].Trim() is { Length: > 0 } line ? line : Stdout.Split('\n', 2)[0].Trim();
}

/// <summary>Runs the sluice CLI as users do, a child process per command, with the suite's environment (secrets included).</summary>
public sealed class SluiceCli(string dll, IReadOnlyDictionary<string, string> environment)
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(10);

    public string Dll { get; } = dll;

    public IReadOnlyDictionary<string, string> Environment { get; } = environment;

    /// <summary>Runs <c>sluice --project-dir DIR args</c> to its end, or kills it (SIGKILL, with its children) after <paramref name="killAfter"/>.</summary>
    public async Task<CliResult> RunAsync(string projectDirectory, IReadOnlyList<string> args, TimeSpan? killAfter = null)
    {
        using var process = Start(projectDirectory, args);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        var clock = Stopwatch.StartNew();
        var exited = process.WaitForExitAsync();
        var killed = false;
        if (killAfter is { } delay && await Task.WhenAny(exited, Task.Delay(delay)) != exited)
        {
            process.Kill(entireProcessTree: true);
            killed = true;
        }

        if (await Task.WhenAny(exited, Task.Delay(Limit)) != exited)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"sluice {string.Join(' ', args)} ran past {Limit.TotalMinutes} minutes in {projectDirectory}.");
        }

        await exited;
        return new CliResult(process.ExitCode, await stdout, await stderr, clock.Elapsed, killed);
    }

    /// <summary>Starts <c>sluice --project-dir DIR args</c> with its output redirected; the caller reads it and ends it.</summary>
    public Process Start(string projectDirectory, IReadOnlyList<string> args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Dll);
        start.ArgumentList.Add("--project-dir");
        start.ArgumentList.Add(projectDirectory);
        foreach (var argument in args)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment.Remove("COLUMNS");
        foreach (var (name, value) in Environment)
        {
            start.Environment[name] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start dotnet.");
        process.StandardInput.Close();
        return process;
    }
}
