using Sluice.Models.State;

namespace Sluice.Models.Materialize;

/// <summary>
/// <c>materialized='view'</c>: the view is replaced in one transaction, so readers see the old
/// definition or the new one. What depended on a replaced object is dropped with it, as in dbt.
/// </summary>
public sealed class ViewMaterialization : IMaterialization
{
    /// <inheritdoc />
    public async Task<RowCounts> BuildAsync(ModelBuild build, CancellationToken cancellationToken)
    {
        var session = build.Session;
        var sql = build.Sql(isIncremental: false);
        await build.RunHooksAsync(build.Model.Config.PreHooks, false, cancellationToken);
        var existing = await build.ExistingKindAsync(cancellationToken);
        await using (var transaction = await session.BeginTransactionAsync(cancellationToken))
        {
            await Relations.DropAsync(session, build.Table, existing, cancellationToken);
            await session.ExecuteAsync($"create view {build.Dialect.Quote(build.Table)} as\n{sql}", null, cancellationToken);
            await build.CommitState(session, RowCounts.None, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        await build.RunHooksAsync(build.Model.Config.PostHooks, false, cancellationToken);
        return RowCounts.None;
    }
}
