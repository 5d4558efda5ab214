namespace Sluice.Bench;

/// <summary>
/// One engine under test: where its warehouse is, and how its own time for the SQL Sluice sent
/// is measured. Each engine says how in <see cref="LimitMethod"/>, which the report prints.
/// </summary>
internal abstract class ScaleEngine : IAsyncDisposable
{
    public abstract string Name { get; }

    /// <summary>How the engine-alone time is measured, for the report.</summary>
    public abstract string LimitMethod { get; }

    /// <summary>The lines under <c>warehouse:</c> in sluice.yml for a run of <paramref name="rows"/> facts.</summary>
    public abstract Task<string> WarehouseAsync(long rows);

    /// <summary>Called once the data is loaded, before the server starts.</summary>
    public virtual Task AfterLoadAsync(Sluice.Core.Warehouse.IWarehouseSession session) => Task.CompletedTask;

    /// <summary>Called before each timed request reaches the server.</summary>
    public virtual void BeforeRequest()
    {
    }

    /// <summary>Called after each timed request of <paramref name="question"/> has its answer.</summary>
    public virtual Task AfterRequestAsync(Question question) => Task.CompletedTask;

    /// <summary>
    /// The engine's own time per request of each question, measured once the served run is over
    /// (or during it, from what <see cref="AfterRequestAsync"/> saw).
    /// </summary>
    public abstract Task<IReadOnlyDictionary<string, IReadOnlyList<TimeSpan>>> LimitsAsync(ScaleRun run);

    public virtual ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

/// <summary>What a limit measurement may need of the run it belongs to.</summary>
internal sealed record ScaleRun(string Directory, long Rows, ScaleOptions Options);
