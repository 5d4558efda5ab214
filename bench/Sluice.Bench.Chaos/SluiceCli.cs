using System.Diagnostics;
using System.Text;

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

    /// <summary>
    /// Runs <c>sluice --project-dir DIR args</c> to its end, or kills it (SIGKILL, with its
    /// children) after <paramref name="killAfter"/> or once it has printed
    /// <paramref name="killAfterLines"/> lines (standard output and error together), whichever comes first.
    /// </summary>
    public async Task<CliResult> RunAsync(string projectDirectory, IReadOnlyList<string> args, TimeSpan? killAfter = null, int? killAfterLines = null)
    {
        using var process = Start(projectDirectory, args);
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        var lines = 0;
        var printed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void Read(StringBuilder into, string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (into)
            {
                into.Append(line).Append('\n');
            }

            if (Interlocked.Increment(ref lines) == killAfterLines)
            {
                printed.TrySetResult();
            }
        }

        process.OutputDataReceived += (_, e) => Read(stdout, e.Data);
        process.ErrorDataReceived += (_, e) => Read(stderr, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var clock = Stopwatch.StartNew();
        var exited = process.WaitForExitAsync();
        var killed = false;
        if (killAfter is not null || killAfterLines is not null)
        {
            var deadline = killAfter is { } delay ? Task.Delay(delay) : Task.Delay(Timeout.Infinite);
            if (await Task.WhenAny(exited, deadline, printed.Task) != exited)
            {
                process.Kill(entireProcessTree: true);
                killed = true;
            }
        }

        if (await Task.WhenAny(exited, Task.Delay(Limit)) != exited)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"sluice {string.Join(' ', args)} ran past {Limit.TotalMinutes} minutes in {projectDirectory}.");
        }

        // Waiting for the exit also waits for the last lines of both streams.
        await exited;
        lock (stdout)
        lock (stderr)
        {
            return new CliResult(process.ExitCode, stdout.ToString(), stderr.ToString(), clock.Elapsed, killed);
        }
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
