namespace Sluice.Models.Run;

/// <summary>
/// Starts a build (a model, a partition) on a thread of its own. A warehouse whose calls finish
/// before they return (DuckDB's are synchronous) runs the whole build inside the call, so builds
/// started one after the other would not overlap; and builds that block for minutes on the
/// thread pool's few threads would starve everything else that needs one (progress, timers,
/// cancellation, the next build's start).
/// </summary>
internal static class BuildThread
{
    /// <summary>Runs <paramref name="build"/> on a new thread; the task completes when the build has.</summary>
    public static Task Start(Func<Task> build) =>
        Task.Factory.StartNew(build, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();

    /// <summary>Runs <paramref name="build"/> on a new thread; the task completes with its result.</summary>
    public static Task<T> Start<T>(Func<Task<T>> build) =>
        Task.Factory.StartNew(build, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();
}
