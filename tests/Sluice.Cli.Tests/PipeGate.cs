using System.Diagnostics;

namespace Sluice.Cli.Tests;

/// <summary>
/// A named pipe that holds a query reading it (DuckDB's read_csv) until the test closes it. The
/// test's open of the writing end returns only once the query has opened the reading end: from
/// then on the query is known to be running, however fast or loaded the machine is.
/// </summary>
public sealed class PipeGate : IAsyncDisposable
{
    private readonly string _path;
    private Task<FileStream>? _writer;

    private PipeGate(string path) => _path = path;

    public string Path => _path;

    public static async Task<PipeGate> CreateAsync(string path)
    {
        using var mkfifo = Process.Start("mkfifo", [path]);
        await mkfifo.WaitForExitAsync();
        Assert.Equal(0, mkfifo.ExitCode);
        return new PipeGate(path);
    }

    /// <summary>
    /// Waits until a reader has opened the pipe; fails the test when <paramref name="failed"/>
    /// says the reader will never come, or after <paramref name="guard"/>.
    /// </summary>
    public async Task WaitForReaderAsync(Func<Task<string?>> failed, TimeSpan guard)
    {
        // Opening a pipe for writing blocks the thread until a reader opens it: a thread of its
        // own, so that a busy thread pool in the test process cannot hold the reader at its open.
        _writer ??= Task.Factory.StartNew(() => new FileStream(_path, FileMode.Open, FileAccess.Write), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        var clock = Stopwatch.StartNew();
        while (!_writer.IsCompleted)
        {
            if (await failed() is { } why)
            {
                Assert.Fail($"nothing will read {System.IO.Path.GetFileName(_path)}: {why}");
            }

            if (clock.Elapsed > guard)
            {
                Assert.Fail($"nothing opened {System.IO.Path.GetFileName(_path)} within {guard.TotalSeconds} s.");
            }

            await Task.WhenAny(_writer, Task.Delay(50));
        }
    }

    /// <summary>Writes <paramref name="lines"/> and closes the pipe: the reading query sees its end and finishes.</summary>
    public async Task ReleaseAsync(params string[] lines)
    {
        await using var writer = await _writer!;
        await writer.WriteAsync(System.Text.Encoding.UTF8.GetBytes(string.Concat(lines.Select(l => l + "\n"))));
        _writer = null;
    }

    public async ValueTask DisposeAsync()
    {
        if (_writer is null)
        {
            return;
        }

        // No reader came, or it left: opening the reading end here frees a writer still waiting.
        if (!_writer.IsCompleted)
        {
            await using var reader = new FileStream(_path, FileMode.Open, FileAccess.Read);
        }

        await (await _writer).DisposeAsync();
    }
}
