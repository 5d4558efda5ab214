using System.Diagnostics;

namespace Sluice.Cli.Tests;

/// <summary>
/// Named pipes (FIFOs) that models read, one per model or partition: a model's query opens its
/// pipe and cannot finish until the test releases it. Opening a FIFO for writing returns only
/// once a reader has opened it, so the test learns which models are running at one moment by
/// what they do, without timing anything. A released pipe gives its reader one line.
/// </summary>
public sealed class GatePipes : IAsyncDisposable
{
    // A guard against a run that never reaches a pipe, not a measure of speed: a failing test
    // waits this long before it says how many models were running.
    private static readonly TimeSpan HangGuard = TimeSpan.FromMinutes(3);

    private readonly Dictionary<string, Pipe> _pipes;

    private GatePipes(string directory, Dictionary<string, Pipe> pipes)
    {
        Directory = directory;
        _pipes = pipes;
    }

    /// <summary>The folder holding the pipes, each named <c>&lt;name&gt;.pipe</c>.</summary>
    public string Directory { get; }

    /// <summary>The names whose reader has opened its pipe so far, released or not.</summary>
    public IReadOnlyList<string> Reached => [.. _pipes.Where(p => p.Value.Opened.IsCompletedSuccessfully).Select(p => p.Key).Order(StringComparer.Ordinal)];

    /// <summary>
    /// A SQL expression (DuckDB) that opens the pipe named by the Jinja expression
    /// <paramref name="name"/> in the folder of var('pipes') and counts its lines: 1 once released.
    /// Without detection of the format and compression, DuckDB opens the file once; its sniffer
    /// would read the pipe's only line, then open it again and wait for a writer that never comes.
    /// </summary>
    public static string ReadSql(string name) =>
        $"(select count(*) from read_csv('{{{{ var('pipes') }}}}/{{{{ {name} }}}}.pipe', auto_detect = false, compression = 'none', header = false, delim = '|', columns = {{'line': 'varchar'}}))";

    /// <summary>Makes a pipe per name in <paramref name="directory"/> and starts waiting for their readers.</summary>
    public static async Task<GatePipes> CreateAsync(string directory, IEnumerable<string> names)
    {
        System.IO.Directory.CreateDirectory(directory);
        var pipes = new Dictionary<string, Pipe>(StringComparer.Ordinal);
        foreach (var name in names)
        {
            var path = Path.Combine(directory, name + ".pipe");
            using var mkfifo = Process.Start("mkfifo", [path]);
            await mkfifo.WaitForExitAsync();
            Assert.Equal(0, mkfifo.ExitCode);
            // Opening a pipe for writing blocks until a reader opens it: on a thread of its own, so that
            // a busy thread pool in the test process cannot hold the reader (the model) at its open.
            pipes[name] = new Pipe(path, Task.Factory.StartNew(() => new FileStream(path, FileMode.Open, FileAccess.Write), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default));
        }

        return new GatePipes(directory, pipes);
    }

    /// <summary>
    /// Waits until <paramref name="count"/> pipes have a reader; fails, naming those that have
    /// one, when <paramref name="running"/> ends first or nothing changes for a long while.
    /// </summary>
    public async Task WaitForReadersAsync(int count, RunningSluice running, string what)
    {
        var exited = running.WaitAsync();
        while (Reached.Count < count)
        {
            var waiting = _pipes.Values.Where(p => !p.Opened.IsCompleted).Select(p => (Task)p.Opened).ToList();
            var guard = Task.Delay(HangGuard);
            var first = await Task.WhenAny([.. waiting, exited, guard]);
            if (first == exited)
            {
                Assert.Fail($"{what}: the run ended with {Reached.Count} of {count} pipes read ({string.Join(", ", Reached)}): {await exited}");
            }

            if (first == guard)
            {
                Assert.Fail($"{what}: only {Reached.Count} of {count} were running at once ({string.Join(", ", Reached)}) after {HangGuard.TotalMinutes} minutes; {running}.");
            }
        }
    }

    /// <summary>Gives the reader of <paramref name="name"/> its line and end of file, so that its query finishes.</summary>
    public async Task ReleaseAsync(string name)
    {
        var pipe = _pipes[name];
        await using var writer = await pipe.Opened;
        await writer.WriteAsync("x\n"u8.ToArray());
        pipe.Released = true;
    }

    /// <summary>Releases every pipe that has a reader and has not been released.</summary>
    public async Task ReleaseAllAsync()
    {
        foreach (var name in Reached.Where(n => !_pipes[n].Released))
        {
            await ReleaseAsync(name);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var pipe in _pipes.Values)
        {
            // A writer still waiting for a reader is freed by opening the reading end here.
            if (!pipe.Opened.IsCompleted)
            {
                await using var reader = new FileStream(pipe.Path, FileMode.Open, FileAccess.Read);
            }

            if (!pipe.Released)
            {
                await (await pipe.Opened).DisposeAsync();
            }
        }
    }

    private sealed class Pipe(string path, Task<FileStream> opened)
    {
        public string Path { get; } = path;

        public Task<FileStream> Opened { get; } = opened;

        public bool Released { get; set; }
    }
}
