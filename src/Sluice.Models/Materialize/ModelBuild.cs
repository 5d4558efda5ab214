using Sluice.Core.Models;
using Sluice.Core.Warehouse;
using Sluice.Models.Compile;
using Sluice.Models.State;

namespace Sluice.Models.Materialize;

/// <summary>
/// One build of one model (or one partition of it): the session to build on, how to render the
/// model, and the state write that must commit together with the data.
/// </summary>
public sealed class ModelBuild
{
    private readonly List<CompiledModel> _rendered = [];

    /// <summary>The session, used by this build alone.</summary>
    public required IWarehouseSession Session { get; init; }

    /// <summary>Renders the model.</summary>
    public required ModelCompiler Compiler { get; init; }

    /// <summary>The model.</summary>
    public required ModelDefinition Model { get; init; }

    /// <summary>The run's facts; <see cref="RenderFacts.IsIncremental"/> is decided by the materialization.</summary>
    public required RenderFacts Facts { get; init; }

    /// <summary>Rebuild incremental models and snapshots from scratch.</summary>
    public bool FullRefresh { get; init; }

    /// <summary>Writes the job run's SUCCESS row; called inside the transaction that commits the data.</summary>
    public required Func<IWarehouseSession, RowCounts, CancellationToken, Task> CommitState { get; init; }

    /// <summary>How the session's engine quotes names.</summary>
    public ISqlDialect Dialect => Session.Warehouse.Dialect;

    /// <summary>What the run knows of the relations' kinds.</summary>
    public required RelationKinds Kinds { get; init; }

    /// <summary>The model's table.</summary>
    public TableName Table => Model.Table;

    /// <summary>What the model's relation is before this build changes it.</summary>
    public Task<RelationKind> ExistingKindAsync(CancellationToken cancellationToken) => Kinds.KindAsync(Session, Table, cancellationToken);

    /// <summary>The model's SQL as this build rendered it, once per <see cref="Sql"/> call, so that a failure can be placed in it.</summary>
    public IReadOnlyList<CompiledModel> Rendered => _rendered;

    /// <summary>Renders the model's SQL.</summary>
    public string Sql(bool isIncremental)
    {
        var compiled = Compiler.Compile(Model, Facts with { IsIncremental = isIncremental, Warehouse = new SessionTemplateWarehouse(Session), FullRefresh = FullRefresh });
        _rendered.Add(compiled);
        return SqlText.TrimStatement(compiled.Sql);
    }

    /// <summary>Runs the model's pre- or post-hooks, rendered like the model.</summary>
    public async Task RunHooksAsync(IReadOnlyList<string> hooks, bool isIncremental, CancellationToken cancellationToken)
    {
        foreach (var hook in hooks)
        {
            var sql = Compiler.CompileHook(Model, hook, Facts with { IsIncremental = isIncremental, Warehouse = new SessionTemplateWarehouse(Session), FullRefresh = FullRefresh });
            if (!string.IsNullOrWhiteSpace(sql))
            {
                await Session.ExecuteAsync(sql, null, cancellationToken);
            }
        }
    }
}

/// <summary>Builds one materialization of a model.</summary>
public interface IMaterialization
{
    /// <summary>Builds the model; returns the rows it read and changed.</summary>
    Task<RowCounts> BuildAsync(ModelBuild build, CancellationToken cancellationToken);
}
