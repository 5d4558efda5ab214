using System.Collections.Concurrent;
using System.Text;

namespace Sluice.Server.Jobs;

/// <summary>
/// Runs a pipeline command (such as <c>build --select orders</c>) inside the serving process,
/// writing its results to <paramref name="output"/> and its notes and progress to
/// <paramref name="error"/>; returns the command's exit code. <c>sluice serve</c> supplies one
/// that runs the sluice command line.
/// </summary>
public delegate Task<int> JobRunner(string command, IReadOnlyList<string> arguments, TextWriter output, TextWriter error, CancellationToken cancellationToken);

/// <summary>Where a job is.</summary>
public enum JobState
{
    /// <summary>Waiting for the job before it.</summary>
    Queued,

    /// <summary>Running.</summary>
    Running,

    /// <summary>Finished with exit code 0.</summary>
    Succeeded,

    /// <summary>Finished with another exit code, or could not run.</summary>
    Failed,
}

/// <summary>A job, as <c>/api/v1/jobs</c> shows it.</summary>
/// <param name="Id">The job's id.</param>
/// <param name="Command">The command: sync, run, build, test, seed, snapshot or backfill.</param>
/// <param name="Arguments">Its arguments.</param>
/// <param name="State">Where it is.</param>
/// <param name="ExitCode">The command's exit code, once finished.</param>
/// <param name="Output">What the command reported as results.</param>
/// <param name="Log">Its notes, progress and errors.</param>
/// <param name="QueuedAt">When it was asked for.</param>
/// <param name="StartedAt">When it started.</param>
/// <param name="CompletedAt">When it finished.</param>
public sealed record JobStatus(
    string Id, string Command, IReadOnlyList<string> Arguments, JobState State, int? ExitCode, string Output, string Log,
    DateTimeOffset QueuedAt, DateTimeOffset? StartedAt, DateTimeOffset? CompletedAt);

/// <summary>
/// The server's pipeline jobs: run one at a time, in the order asked, on the server's own hold
/// of the warehouse; the latest <see cref="Kept"/> are kept to be looked up.
/// </summary>
public sealed class JobQueue(JobRunner runner, TimeProvider clock) : IAsyncDisposable
{
    /// <summary>The commands a job may run: those that change the warehouse, and checks.</summary>
    public static readonly IReadOnlyList<string> Commands = ["sync", "run", "build", "test", "seed", "snapshot", "backfill"];

    /// <summary>How many finished jobs are kept.</summary>
    public const int Kept = 100;

    // Output beyond this is cut, with a note saying so.
    private const int MaxOutput = 1 << 20;

    private readonly SemaphoreSlim _one = new(1, 1);
    private readonly ConcurrentDictionary<string, Job> _jobs = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();

    /// <summary>Queues a job; its task completes when the job has finished.</summary>
    public (JobStatus Queued, Task<JobStatus> Finished) Enqueue(string command, IReadOnlyList<string> arguments)
    {
        var job = new Job(Guid.CreateVersion7().ToString("N")[..16], command, arguments, clock.GetUtcNow());
        _jobs[job.Id] = job;
        Forget();
        return (job.Status(), RunAsync(job));
    }

    /// <summary>A job by id, or null.</summary>
    public JobStatus? Find(string id) => _jobs.TryGetValue(id, out var job) ? job.Status() : null;

    /// <summary>The kept jobs, newest first.</summary>
    public IReadOnlyList<JobStatus> List() => [.. _jobs.Values.Select(j => j.Status()).OrderByDescending(j => j.QueuedAt)];

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();

        // The running job stops at its next cancellation point; waiting for it keeps the
        // warehouse open until it has rolled back.
        await _one.WaitAsync();
        _one.Release();
        _stopping.Dispose();
    }

    private async Task<JobStatus> RunAsync(Job job)
    {
        await Task.Yield();
        try
        {
            await _one.WaitAsync(_stopping.Token);
        }
        catch (OperationCanceledException)
        {
            job.Finish(clock.GetUtcNow(), null, "the server stopped before the job started");
            return job.Status();
        }

        try
        {
            job.Start(clock.GetUtcNow());
            int? exitCode = null;
            string? failure = null;
            try
            {
                exitCode = await runner(job.Command, job.Arguments, job.Output, job.Log, _stopping.Token);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                failure = e is OperationCanceledException ? "the server stopped while the job ran" : e.Message;
            }

            job.Finish(clock.GetUtcNow(), exitCode, failure);
            return job.Status();
        }
        finally
        {
            _one.Release();
        }
    }

    // Keeps the newest jobs and every unfinished one.
    private void Forget()
    {
        foreach (var old in _jobs.Values.Where(j => j.IsFinished).OrderByDescending(j => j.QueuedAt).Skip(Kept))
        {
            _jobs.TryRemove(old.Id, out _);
        }
    }

    private sealed class Job(string id, string command, IReadOnlyList<string> arguments, DateTimeOffset queuedAt)
    {
        private readonly Lock _gate = new();
        private JobState _state = JobState.Queued;
        private int? _exitCode;
        private DateTimeOffset? _startedAt;
        private DateTimeOffset? _completedAt;

        public string Id => id;

        public string Command => command;

        public IReadOnlyList<string> Arguments => arguments;

        public DateTimeOffset QueuedAt => queuedAt;

        public CappedWriter Output { get; } = new(MaxOutput);

        public CappedWriter Log { get; } = new(MaxOutput);

        public bool IsFinished
        {
            get
            {
                lock (_gate)
                {
                    return _state is JobState.Succeeded or JobState.Failed;
                }
            }
        }

        public void Start(DateTimeOffset at)
        {
            lock (_gate)
            {
                (_state, _startedAt) = (JobState.Running, at);
            }
        }

        public void Finish(DateTimeOffset at, int? exitCode, string? failure)
        {
            if (failure is not null)
            {
                Log.WriteLine($"error: {failure}");
            }

            lock (_gate)
            {
                (_state, _exitCode, _completedAt) = (exitCode == 0 ? JobState.Succeeded : JobState.Failed, exitCode, at);
            }
        }

        public JobStatus Status()
        {
            lock (_gate)
            {
                return new JobStatus(id, command, arguments, _state, _exitCode, Output.Text, Log.Text, queuedAt, _startedAt, _completedAt);
            }
        }
    }

    // A thread-safe writer that keeps the first MaxOutput characters.
    private sealed class CappedWriter(int max) : TextWriter
    {
        private readonly StringBuilder _text = new();
        private bool _cut;

        public override Encoding Encoding => Encoding.UTF8;

        public string Text
        {
            get
            {
                lock (_text)
                {
                    return _cut ? _text + "\n[output cut: over 1 MiB]\n" : _text.ToString();
                }
            }
        }

        public override void Write(char value) => Write(value.ToString());

        public override void Write(string? value)
        {
            if (value is null)
            {
                return;
            }

            lock (_text)
            {
                var room = max - _text.Length;
                _text.Append(value.AsSpan(0, Math.Min(room, value.Length)));
                _cut |= value.Length > room;
            }
        }

        public override void Write(char[] buffer, int index, int count) => Write(new string(buffer, index, count));
    }
}
