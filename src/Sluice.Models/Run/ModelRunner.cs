using System.Diagnostics;
using Sluice.Core.Graph;
using Sluice.Core.Models;
using Sluice.Core.Warehouse;
using Sluice.Models.Compile;
using Sluice.Models.Materialize;
using Sluice.Models.State;
using Sluice.Warehouses.Metadata;

namespace Sluice.Models.Run;

/// <summary>
/// Builds the selected models, seeds and snapshots in DAG order, up to <see cref="RunOptions.Threads"/>
/// at once, each on its own session. A failure marks everything downstream SKIPPED; the rest
/// of the graph goes on. Ephemeral models are not built: they live inside their children's SQL.
/// </summary>
/// <param name="project">The parsed project.</param>
/// <param name="warehouse">The warehouse to build in.</param>
/// <param name="gate">What to consult around each resource (checks in <c>sluice build</c>), or null.</param>
public sealed class ModelRunner(ParsedProject project, IWarehouse warehouse, IRunGate? gate = null)
{
    /// <summary>What the row of a build that was cancelled says.</summary>
    public const string Cancelled = "cancelled (Ctrl+C, SIGTERM or a stopped job) before it finished; nothing of it was committed";

    private readonly ModelCompiler _compiler = new(project);
    private readonly RelationKinds _kinds = new(warehouse);

    /// <summary>Runs <paramref name="selected"/>; returns one result per built or skipped resource, in graph order.</summary>
    public async Task<IReadOnlyList<NodeResult>> RunAsync(IReadOnlySet<string> selected, RunOptions options, IRunObserver observer, CancellationToken cancellationToken)
    {
        await using (var session = await warehouse.OpenSessionAsync(cancellationToken))
        {
            await MetadataSchema.MigrateAsync(session, cancellationToken: cancellationToken);
            await JobRunStore.RecoverAbandonedAsync(session, cancellationToken);
            await RunProjectHooksAsync(session, project.Settings.OnRunStart, "on-run-start", options, cancellationToken);
        }

        var runnable = project.Graph.Order
            .Where(n => selected.Contains(n) && project.Nodes[n].Config.Materialized != Materialization.Ephemeral)
            .ToList();
        await using (var session = await warehouse.OpenSessionAsync(cancellationToken))
        {
            // Every schema the run builds in, once; hooks may create objects beside the models.
            var schemas = runnable.Select(n => project.Nodes[n].Table.Schema).Distinct(StringComparer.Ordinal).ToList();
            foreach (var schema in schemas)
            {
                await session.CreateSchemaAsync(schema, cancellationToken);
            }

            await _kinds.LoadAsync(session, schemas, cancellationToken);
        }
        var runnableSet = runnable.ToHashSet(StringComparer.Ordinal);
        var upstream = runnable.ToDictionary(n => n, n => Upstream(n, runnableSet), StringComparer.Ordinal);
        var results = new Dictionary<string, NodeResult>(StringComparer.Ordinal);
        var running = new Dictionary<Task<NodeResult>, string>();
        var pending = new List<string>(runnable);
        var started = 0;

        while (pending.Count > 0 || running.Count > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            foreach (var name in pending.ToList())
            {
                if (running.Count >= Math.Max(1, options.Threads))
                {
                    break;
                }

                if (upstream[name].Any(p => !results.ContainsKey(p)))
                {
                    continue;
                }

                pending.Remove(name);
                var index = ++started;
                var model = project.Nodes[name];
                var failedParent = upstream[name].FirstOrDefault(p => results[p].Status is JobStatus.Failed or JobStatus.Skipped || results[p].Blocked is not null);
                var skipReason = failedParent is null ? null : SkipReason(failedParent, results[failedParent]);
                if (skipReason is null && gate is not null)
                {
                    skipReason = await gate.BeforeAsync(model, cancellationToken);
                }

                if (skipReason is not null)
                {
                    var result = await SkipAsync(model, skipReason, options, cancellationToken);
                    results[name] = await AfterAsync(result, cancellationToken);
                    observer.Finished(result, index, runnable.Count);
                    continue;
                }

                // On a thread of its own: a warehouse whose calls finish before they return
                // (DuckDB's are synchronous) would otherwise build it here, before the next
                // resource could start, whatever the threads.
                observer.Started(model, index, runnable.Count);
                running[BuildThread.Start(() => BuildAndFollowAsync(model, index, runnable.Count, options, observer, cancellationToken))] = name;
            }

            if (running.Count == 0)
            {
                continue;
            }

            var finished = await Task.WhenAny(running.Keys);
            results[running[finished]] = await finished;
            running.Remove(finished);
        }

        await using (var session = await warehouse.OpenSessionAsync(cancellationToken))
        {
            await RunProjectHooksAsync(session, project.Settings.OnRunEnd, "on-run-end", options, cancellationToken);
        }

        return [.. runnable.Select(n => results[n])];
    }

    // dbt_project.yml's on-run-start and on-run-end: SQL that may use ref(), source() and vars.
    private async Task RunProjectHooksAsync(IWarehouseSession session, IReadOnlyList<string> hooks, string what, RunOptions options, CancellationToken cancellationToken)
    {
        var facts = new RenderFacts(false, options.From, options.To.AddDays(1), options.StartedAt, options.InvocationId);
        foreach (var hook in hooks)
        {
            var sql = _compiler.CompileAdHoc(hook, facts, $"{project.Settings.ConfigFileName} ({what})");
            if (!string.IsNullOrWhiteSpace(sql))
            {
                try
                {
                    await session.ExecuteAsync(sql, null, cancellationToken);
                }
                catch (Core.Project.WarehouseException e)
                {
                    throw new ModelException($"{project.Settings.ConfigFileName}: the {what} hook failed: {FirstLine(e.Message)}", e);
                }
            }
        }
    }

    /// <summary>The materialization that builds <paramref name="model"/>.</summary>
    public IMaterialization MaterializationFor(ModelDefinition model) => model.Config.Materialized switch
    {
        Materialization.View => new ViewMaterialization(),
        Materialization.Table => new TableMaterialization(),
        Materialization.Incremental when model.Config.PartitionBy is not null => new PartitionMaterialization(),
        Materialization.Incremental => new IncrementalMaterialization(),
        Materialization.Seed => new SeedMaterialization(),
        Materialization.Snapshot => new SnapshotMaterialization(project.Settings.IsDbt ? SnapshotColumns.Dbt : SnapshotColumns.Sluice),
        _ => throw new InvalidOperationException($"'{model.Name}' is ephemeral and is not built on its own."),
    };

    // The built resources a node waits for: its parents, looking through ephemeral ones (whose
    // SQL it inlines) to what they read.
    private HashSet<string> Upstream(string name, HashSet<string> runnable)
    {
        var result = new HashSet<string>(StringComparer.Ordinal);
        var stack = new Stack<string>(project.Graph.ParentsOf(name));
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (stack.Count > 0)
        {
            var parent = stack.Pop();
            if (!seen.Add(parent))
            {
                continue;
            }

            if (runnable.Contains(parent))
            {
                result.Add(parent);
            }
            else if (project.Nodes[parent].Config.Materialized == Materialization.Ephemeral)
            {
                foreach (var grandparent in project.Graph.ParentsOf(parent))
                {
                    stack.Push(grandparent);
                }
            }
        }

        return result;
    }

    private static string SkipReason(string parent, NodeResult result) => result switch
    {
        { Status: JobStatus.Failed } => $"skipped because '{parent}', which it depends on, failed",
        { Status: JobStatus.Skipped } => $"skipped because '{parent}', which it depends on, was skipped",
        _ => $"skipped because {result.Blocked}",
    };

    private async Task<NodeResult> BuildAndFollowAsync(ModelDefinition model, int index, int total, RunOptions options, IRunObserver observer, CancellationToken cancellationToken)
    {
        var result = await BuildNodeAsync(model, options, observer, cancellationToken);
        observer.Finished(result, index, total);
        return await AfterAsync(result, cancellationToken);
    }

    // The gate's verdict on a finished resource, kept with its result for its dependants.
    private async Task<NodeResult> AfterAsync(NodeResult result, CancellationToken cancellationToken) =>
        gate is not null && await gate.AfterAsync(result, cancellationToken) is { } blocked ? result with { Blocked = blocked } : result;

    private async Task<NodeResult> SkipAsync(ModelDefinition model, string reason, RunOptions options, CancellationToken cancellationToken)
    {
        await using var session = await warehouse.OpenSessionAsync(cancellationToken);
        await JobRunStore.SkipUpstreamAsync(session, options.InvocationId, model.Name, Kind(model), null, reason, cancellationToken);
        return new NodeResult(model.Name, model, JobStatus.Skipped, RowCounts.None, TimeSpan.Zero, reason);
    }

    private async Task<NodeResult> BuildNodeAsync(ModelDefinition model, RunOptions options, IRunObserver observer, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        try
        {
            return model.Config.PartitionBy is not null
                ? await new PartitionRunner(this, model, options, observer).RunAsync(cancellationToken)
                : await BuildOnceAsync(model, options, null, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            throw;
        }
        catch (Exception e)
        {
            return new NodeResult(model.Name, model, JobStatus.Failed, RowCounts.None, clock.Elapsed, Describe(model, e), Exception: e);
        }
    }

    /// <summary>Builds a model, or one partition of it, with its own job-run row.</summary>
    internal async Task<NodeResult> BuildOnceAsync(ModelDefinition model, RunOptions options, DatePartition? partition, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        await using var session = await warehouse.OpenSessionAsync(cancellationToken);
        var runId = await JobRunStore.StartAsync(session, options.InvocationId, model.Name, Kind(model), partition?.Start, cancellationToken);
        var day = partition ?? Partitions.Containing(options.To, model.Config.Grain);
        var build = new ModelBuild
        {
            Session = session,
            Compiler = _compiler,
            Model = model,
            Facts = new RenderFacts(false, day.Start, day.End, options.StartedAt, options.InvocationId),
            Kinds = _kinds,
            FullRefresh = options.FullRefresh,
            CommitState = async (s, rows, ct) =>
            {
                await MaintainRollupsAsync(s, model, partition, ct);
                await JobRunStore.CompleteAsync(s, runId, rows, clock.ElapsedMilliseconds, ct);
            },
        };

        try
        {
            var rows = await MaterializationFor(model).BuildAsync(build, cancellationToken);
            _kinds.Set(model.Table, model.Config.Materialized == Materialization.View ? RelationKind.View : RelationKind.Table);
            return new NodeResult(model.Name, model, JobStatus.Success, rows, clock.Elapsed, null);
        }
        catch (Exception e)
        {
            _kinds.Forget(model.Table);
            if (e is OperationCanceledException)
            {
                await RecordCancelledAsync(session, runId, clock.ElapsedMilliseconds);
                throw;
            }

            var message = e is Core.Project.WarehouseException { IsSyntaxError: true } && await FindSyntaxProblemAsync(build.Rendered, cancellationToken) is { } problem
                ? Describe(model, problem)
                : Describe(model, e);
            await JobRunStore.FailAsync(session, runId, message, clock.ElapsedMilliseconds, CancellationToken.None);
            return new NodeResult(model.Name, model, JobStatus.Failed, RowCounts.None, clock.Elapsed, message, Exception: e);
        }
    }

    // A cancelled build rolled back: its row says so at once, rather than staying RUNNING until
    // the next build takes it for a crash. Best effort: the cancellation is what the caller sees.
    private static async Task RecordCancelledAsync(IWarehouseSession session, string runId, long durationMs)
    {
        try
        {
            await JobRunStore.CancelAsync(session, runId, Cancelled, durationMs, CancellationToken.None);
        }
        catch (Exception e) when (e is Core.Project.WarehouseException or System.Data.Common.DbException or InvalidOperationException)
        {
            // The warehouse went with the cancellation; the next build marks the row abandoned.
        }
    }

    // The engine names the statement it rejected, which wraps the model's SQL (create table …
    // as); parsing the model's SQL alone places a syntax error in the model's file. Only after a
    // syntax error, so other builds pay nothing for it. A failure to check is no new failure:
    // the run's FAILED row must still be written, so nothing but a cancellation escapes.
    private async Task<SqlSyntaxProblem?> FindSyntaxProblemAsync(IReadOnlyList<CompiledModel> rendered, CancellationToken cancellationToken)
    {
        if (rendered.Count == 0)
        {
            return null;
        }

        try
        {
            await using var check = await warehouse.OpenSyntaxCheckAsync(cancellationToken);
            foreach (var compiled in rendered.DistinctBy(c => c.Sql))
            {
                if (await SqlSyntaxProblem.FindAsync(check, compiled, cancellationToken) is { } problem)
                {
                    return problem;
                }
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
        }

        return null;
    }

    /// <summary>What the run knows of the relations' kinds.</summary>
    internal RelationKinds Kinds => _kinds;

    // A model's rollups change with its rows, in the same transaction: a whole build rebuilds
    // them (dropping any it no longer declares), a partition refreshes its own periods.
    private static Task MaintainRollupsAsync(IWarehouseSession session, ModelDefinition model, DatePartition? partition, CancellationToken cancellationToken) =>
        partition is { } part && model.Config.Rollups.Count > 0
            ? Rollups.RefreshPartitionAsync(session, model, part.Start, part.End, cancellationToken)
            : partition is null ? Rollups.RebuildAllAsync(session, model, cancellationToken) : Task.CompletedTask;

    /// <summary>Opens a session for partition bookkeeping.</summary>
    internal Task<IWarehouseSession> OpenSessionAsync(CancellationToken cancellationToken) => warehouse.OpenSessionAsync(cancellationToken);

    /// <summary>The job-run kind of a resource.</summary>
    internal static string Kind(ModelDefinition model) => model.Kind.ToString().ToLowerInvariant();

    /// <summary>One line naming the model, its file and what went wrong.</summary>
    internal static string Describe(ModelDefinition model, Exception e)
    {
        if (e is ModelException or Core.Project.ConfigurationException)
        {
            return FirstLine(e.Message);
        }

        var what = model.Kind == NodeKind.Model ? "model" : model.Kind.ToString().ToLowerInvariant();
        return $"{what} '{model.Name}' ({model.File}) failed: {FirstLine(e.Message)}";
    }

    /// <summary>One line naming the model, the place of its SQL's syntax error and the engine's message.</summary>
    internal static string Describe(ModelDefinition model, SqlSyntaxProblem problem)
    {
        var what = model.Kind == NodeKind.Model ? "model" : model.Kind.ToString().ToLowerInvariant();
        return $"{what} '{model.Name}' ({problem.Place}) failed: {problem.Reason}";
    }

    private static string FirstLine(string message)
    {
        var newline = message.IndexOf('\n', StringComparison.Ordinal);
        return (newline < 0 ? message : message[..newline]).Trim();
    }
}
