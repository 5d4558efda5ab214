using System.Collections.Concurrent;
using System.Threading.Channels;

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
    /// <summary>Waiting for the jobs before it.</summary>
    Queued,

    /// <summary>Running.</summary>
    Running,

    /// <summary>Finished with exit code 0.</summary>
    Succeeded,

    /// <summary>Finished with another exit code, or could not run.</summary>
    Failed,

    /// <summary>Stopped by the server stopping: while it ran (its open work rolled back) or before it started.</summary>
    Cancelled,
}

/// <summary>A job, as <c>/api/v1/jobs</c> shows it.</summary>
/// <param name="Id">The job's id.</param>
/// <param name="Command">The command: sync, run, build, test, seed, snapshot, backfill or prune.</param>
/// <param name="Arguments">Its arguments.</param>
/// <param name="State">Where it is.</param>
/// <param name="ExitCode">The command's exit code, once finished; null when it never ran or could not run.</param>
/// <param name="Output">What the command reported as results.</param>
/// <param name="Log">Its notes, progress and errors.</param>
/// <param name="QueuedAt">When it was asked for.</param>
/// <param name="StartedAt">When it started; null for a job that never ran.</param>
/// <param name="CompletedAt">When it finished.</param>
public sealed record JobStatus(
    string Id, string Command, IReadOnlyList<string> Arguments, JobState State, int? ExitCode, string Output, string Log,
    DateTimeOffset QueuedAt, DateTimeOffset? StartedAt, DateTimeOffset? CompletedAt);

/// <summary>
/// The server's pipeline jobs: run one at a time, in the order asked, on the server's own hold
/// of the warehouse; the latest <see cref="Kept"/> finished ones are kept to be looked up, with
/// up to 1 MiB of output and of log each.
/// </summary>
public sealed class JobQueue : IAsyncDisposable
{
    /// <summary>The commands a job may run: those that change the warehouse (pruning history too), and checks.</summary>
    public static readonly IReadOnlyList<string> Commands = ["sync", "run", "build", "test", "seed", "snapshot", "backfill", "prune"];

    /// <summary>How many finished jobs are kept.</summary>
    public const int Kept = 100;

    private const string NeverStarted = "the server stopped before the job started";

    private readonly JobRunner _runner;
    private readonly TimeProvider _clock;
    private readonly ConcurrentDictionary<string, Job> _jobs = new(StringComparer.Ordinal);

    // One reader takes the jobs in the order they were written, which is what makes them run one
    // at a time and in order; Stop also reads, to cancel what is still waiting.
    private readonly Channel<Job> _waiting = Channel.CreateUnbounded<Job>();
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _worker;
    private long _asked;

    /// <summary>Starts taking jobs, run by <paramref name="runner"/>, with times from <paramref name="clock"/>.</summary>
    public JobQueue(JobRunner runner, TimeProvider clock)
    {
        (_runner, _clock) = (runner, clock);
        _worker = Task.Run(WorkAsync);
    }

    /// <summary>
    /// Queues a job; its task completes when the job has finished. Once the queue is stopping, the
    /// job is cancelled at once.
    /// </summary>
    public (JobStatus Queued, Task<JobStatus> Finished) Enqueue(string command, IReadOnlyList<string> arguments) =>
        Enqueue(command, arguments, CancellationToken.None);

    /// <summary>
    /// Queues a job that <paramref name="cancel"/> cancels: before it starts it is then dropped,
    /// while it runs it stops at its next cancellation point and rolls back (a scheduled job past
    /// its timeout).
    /// </summary>
    public (JobStatus Queued, Task<JobStatus> Finished) Enqueue(string command, IReadOnlyList<string> arguments, CancellationToken cancel)
    {
        // The whole version 7 GUID: its first half is the millisecond and 12 random bits, which jobs asked for
        // in the same millisecond can share.
        var job = new Job(Interlocked.Increment(ref _asked), Guid.CreateVersion7().ToString("N"), command, arguments, _clock.GetUtcNow(), cancel);
        _jobs[job.Id] = job;
        var queued = job.Status();
        if (!_waiting.Writer.TryWrite(job))
        {
            Finish(job, JobState.Cancelled, null, NeverStarted);
            queued = job.Status();
        }

        return (queued, job.Finished);
    }

    /// <summary>A job by id, or null.</summary>
    public JobStatus? Find(string id) => _jobs.TryGetValue(id, out var job) ? job.Status() : null;

    /// <summary>The kept jobs, newest first.</summary>
    public IReadOnlyList<JobStatus> List() => [.. _jobs.Values.OrderByDescending(j => j.Sequence).Select(j => j.Status())];

    /// <summary>
    /// Stops taking jobs: the running one is cancelled (it stops at its next cancellation point and
    /// rolls back what it has not committed), the queued ones are cancelled without running, and
    /// so is any job asked for from now on. Returns once that is done, without waiting for the
    /// running job to end; <see cref="WhenIdleAsync"/> waits for that.
    /// </summary>
    public async Task StopAsync()
    {
        // Cancelled first: a job the worker takes from now on sees it and does not start.
        await _stopping.CancelAsync();
        _waiting.Writer.TryComplete();
        while (_waiting.Reader.TryRead(out var job))
        {
            Finish(job, JobState.Cancelled, null, NeverStarted);
        }
    }

    /// <summary>Waits up to <paramref name="timeout"/> for the jobs to end after <see cref="StopAsync"/>; false if one still runs.</summary>
    public async Task<bool> WhenIdleAsync(TimeSpan timeout)
    {
        try
        {
            await _worker.WaitAsync(timeout);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await StopAsync();

        // Waiting for the running job keeps the warehouse open until it has rolled back.
        await _worker;
        _stopping.Dispose();
    }

    private async Task WorkAsync()
    {
        await foreach (var job in _waiting.Reader.ReadAllAsync())
        {
            if (_stopping.IsCancellationRequested || job.Cancel.IsCancellationRequested)
            {
                Finish(job, JobState.Cancelled, null, _stopping.IsCancellationRequested ? NeverStarted : "cancelled before it started");
                continue;
            }

            job.Start(_clock.GetUtcNow());
            int? exitCode = null;
            string? failure = null;
            using var either = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token, job.Cancel);
            try
            {
                exitCode = await _runner(job.Command, job.Arguments, job.Output, job.Log, either.Token);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                failure = e.Message;
            }

            // A command cancelled by the stop says so in its own way (sluice exits with 130 after
            // rolling back); whatever it returns, a job that had not succeeded when the server began
            // stopping (or its asker cancelled it) was cut short.
            var state = exitCode == 0 ? JobState.Succeeded : either.IsCancellationRequested ? JobState.Cancelled : JobState.Failed;
            Finish(job, state, exitCode, state != JobState.Cancelled ? failure
                : _stopping.IsCancellationRequested ? "the server stopped while the job ran; what it had not committed was rolled back"
                : "cancelled while it ran; what it had not committed was rolled back");
        }
    }

    private void Finish(Job job, JobState state, int? exitCode, string? note)
    {
        job.Finish(_clock.GetUtcNow(), state, exitCode, note);
        Forget();
    }

    // Keeps the newest finished jobs and every unfinished one. Run as each job finishes, so that
    // jobs finishing after the last one was asked for are counted too.
    private void Forget()
    {
        foreach (var old in _jobs.Values.Where(j => j.IsFinished).OrderByDescending(j => j.Sequence).Skip(Kept))
        {
            _jobs.TryRemove(old.Id, out _);
        }
    }

    private sealed class Job(long sequence, string id, string command, IReadOnlyList<string> arguments, DateTimeOffset queuedAt, CancellationToken cancel)
    {
        private readonly Lock _gate = new();
        private readonly TaskCompletionSource<JobStatus> _finished = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private JobState _state = JobState.Queued;
        private int? _exitCode;
        private DateTimeOffset? _startedAt;
        private DateTimeOffset? _completedAt;

        // The order jobs were asked in: times can tie, and clocks can step back.
        public long Sequence => sequence;

        public string Id => id;

        public string Command => command;

        public IReadOnlyList<string> Arguments => arguments;

        public CappedWriter Output { get; } = new();

        public CappedWriter Log { get; } = new();

        public Task<JobStatus> Finished => _finished.Task;

        public CancellationToken Cancel => cancel;

        public bool IsFinished
        {
            get
            {
                lock (_gate)
                {
                    return _state is JobState.Succeeded or JobState.Failed or JobState.Cancelled;
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

        public void Finish(DateTimeOffset at, JobState state, int? exitCode, string? note)
        {
            if (note is not null)
            {
                Log.WriteLine($"error: {note}");
            }

            lock (_gate)
            {
                (_state, _exitCode, _completedAt) = (state, exitCode, at);
            }

            _finished.TrySetResult(Status());
        }

        public JobStatus Status()
        {
            lock (_gate)
            {
                return new JobStatus(id, command, arguments, _state, _exitCode, Output.Text, Log.Text, queuedAt, _startedAt, _completedAt);
            }
        }
    }
}
