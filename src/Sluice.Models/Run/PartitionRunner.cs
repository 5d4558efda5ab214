using System.Diagnostics;
using Sluice.Core.Models;
using Sluice.Models.Materialize;
using Sluice.Models.State;

namespace Sluice.Models.Run;

/// <summary>
/// Builds the partitions of one partitioned model that a run's date range covers, skipping
/// those that succeeded before (unless forced; each is recorded as a SKIPPED run, ALREADY_BUILT)
/// and adding those a sync has made stale (config <c>partition_inputs</c>), up to <see cref="RunOptions.PartitionConcurrency"/>
/// at once. The model fails at its first failed partition; partitions already built stay.
/// </summary>
internal sealed class PartitionRunner(ModelRunner runner, ModelDefinition model, RunOptions options, IRunObserver observer)
{
    public async Task<NodeResult> RunAsync(CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var partitions = Partitions.Covering(options.From, options.To, model.Config.Grain);
        IReadOnlyDictionary<DateOnly, PartitionBuild> done = new Dictionary<DateOnly, PartitionBuild>();
        IReadOnlySet<DateOnly> stale = new HashSet<DateOnly>();
        List<DatePartition> todo;
        bool exists;
        await using (var session = await runner.OpenSessionAsync(cancellationToken))
        {
            exists = await runner.Kinds.KindAsync(session, model.Table, cancellationToken) == RelationKind.Table;
            if (options.FullRefresh && model.Config.FullRefresh != false)
            {
                await ResetAsync(session, cancellationToken);
                exists = false;
            }
            else
            {
                if (exists && !options.Force)
                {
                    done = await JobRunStore.SucceededPartitionsAsync(session, model.Name, partitions[0].Start, partitions[^1].Start, cancellationToken);
                }

                if (exists)
                {
                    await BringRollupsUpToDateAsync(session, cancellationToken);
                    if (!options.Force && model.Config.PartitionInputs.Count > 0)
                    {
                        stale = await StalePartitions.FindAsync(session, model, cancellationToken);
                    }
                }
                else
                {
                    // Rollups left from a table dropped by hand would take the first partition's
                    // refresh for the whole model's.
                    await Rollups.DropAllAsync(session, model, cancellationToken);
                }
            }

            // Stale partitions are built again whatever the range: they hold rows a sync has changed.
            partitions = [.. partitions.Concat(stale.Where(d => !partitions.Any(p => p.Start == d)).Select(d => Partitions.Containing(d, model.Config.Grain))).OrderBy(p => p.Start)];
            todo = [.. partitions.Where(p => !done.ContainsKey(p.Start) || stale.Contains(p.Start))];

            // The partitions left alone are in the history too, as SKIPPED runs that say which
            // build they stand on, so that a day asked for twice shows twice.
            var alreadyBuilt = partitions.Where(p => done.ContainsKey(p.Start) && !stale.Contains(p.Start)).Select(p => done[p.Start]).ToList();
            if (alreadyBuilt.Count > 0)
            {
                await JobRunStore.SkipAlreadyBuiltAsync(session, options.InvocationId, model.Name, ModelRunner.Kind(model), alreadyBuilt, cancellationToken);
            }
        }

        var total = RowCounts.None;
        string? error = null;
        var built = 0;
        var builtPartitions = new List<DatePartition>();
        using var gate = new SemaphoreSlim(Math.Max(1, options.PartitionConcurrency));
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var lockObject = new object();

        // Holds a slot of the gate, taken by the caller, and gives it back when done.
        async Task BuildAsync(DatePartition partition)
        {
            try
            {
                var result = await runner.BuildOnceAsync(model, options with { FullRefresh = false }, partition, stop.Token);
                int finished;
                lock (lockObject)
                {
                    if (result.Status == JobStatus.Success)
                    {
                        built++;
                        builtPartitions.Add(partition);
                        total = new RowCounts(total.Processed + result.Rows.Processed, total.Inserted + result.Rows.Inserted, total.Updated + result.Rows.Updated, total.Deleted + result.Rows.Deleted);
                    }
                    else
                    {
                        error ??= $"{result.Error} (partition {partition.Start:yyyy-MM-dd})";
                        stop.Cancel();
                    }

                    finished = built;
                }

                observer.PartitionFinished(model, partition, result.Status, finished, todo.Count);
            }
            finally
            {
                gate.Release();
            }
        }

        // Slots are taken in date order, so that one at a time builds the oldest partition first,
        // as a resumed backfill expects. Each partition then runs on a thread of its own: on a
        // warehouse whose calls finish before they return (DuckDB's are synchronous), awaiting
        // the build here would run it to its end before the next one could start.
        var builds = new List<Task>();
        foreach (var partition in todo)
        {
            await gate.WaitAsync(CancellationToken.None);
            if (stop.IsCancellationRequested)
            {
                // A partition failed (or the run was cancelled): the rest do not start.
                gate.Release();
                break;
            }

            var build = BuildThread.Start(() => BuildAsync(partition));
            builds.Add(build);
            if (builds.Count == 1 && model.Config.Rollups.Count > 0 && !exists)
            {
                // A first build creates the table and its rollups; partitions may share them
                // only after. WhenAny waits without throwing; the outcome is read below.
                await Task.WhenAny(build);
            }
        }

        try
        {
            await Task.WhenAll(builds);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // A partition failed and stopped the others; the error says which.
        }

        cancellationToken.ThrowIfCancellationRequested();
        return new NodeResult(model.Name, model, error is null ? JobStatus.Success : JobStatus.Failed, total, clock.Elapsed, error, built, partitions.Count - todo.Count)
        {
            Built = [.. builtPartitions.OrderBy(p => p.Start)],
        };
    }

    // A full refresh starts the table over: earlier partitions are gone, so their SUCCESS rows
    // are marked superseded by this invocation, in the same transaction as the drop.
    private async Task ResetAsync(Core.Warehouse.IWarehouseSession session, CancellationToken cancellationToken)
    {
        await using var transaction = await session.BeginTransactionAsync(cancellationToken);
        await Relations.DropAsync(session, model.Table, await runner.Kinds.KindAsync(session, model.Table, cancellationToken), cancellationToken);
        await Rollups.DropAllAsync(session, model, cancellationToken);
        await JobRunStore.SupersedePartitionsAsync(session, model.Name, options.InvocationId, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        runner.Kinds.Set(model.Table, RelationKind.None);
    }

    // Partitions refresh their own periods of the rollups concurrently, which is exact only for
    // rollups built whole from the current definitions; others are rebuilt (or dropped) first.
    private async Task BringRollupsUpToDateAsync(Core.Warehouse.IWarehouseSession session, CancellationToken cancellationToken)
    {
        if (!await Rollups.AreCurrentAsync(session, model, cancellationToken))
        {
            await using var transaction = await session.BeginTransactionAsync(cancellationToken);
            await Rollups.RebuildAllAsync(session, model, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
    }
}
