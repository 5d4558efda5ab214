using Sluice.Core.Models;
using Sluice.Core.Warehouse;
using Sluice.Models.State;

namespace Sluice.Models.Materialize;

/// <summary>
/// <c>materialized='table'</c> (and the first build or full refresh of an incremental model):
/// the rows go into a new table beside the old one, which then takes the old one's name in one
/// transaction together with the job-run row. Readers never see a missing or half-built table.
/// </summary>
public sealed class TableMaterialization : IMaterialization
{
    /// <inheritdoc />
    public async Task<RowCounts> BuildAsync(ModelBuild build, CancellationToken cancellationToken)
    {
        await build.RunHooksAsync(build.Model.Config.PreHooks, false, cancellationToken);
        var rows = await ReplaceAsync(build, build.Sql(isIncremental: false), null, cancellationToken);
        await build.RunHooksAsync(build.Model.Config.PostHooks, false, cancellationToken);
        return rows;
    }

    /// <summary>
    /// Builds <paramref name="sql"/> into a new table and swaps it in; <paramref name="alsoInTransaction"/>
    /// runs in the swap transaction before the state is written.
    /// </summary>
    public static async Task<RowCounts> ReplaceAsync(ModelBuild build, string sql, Func<IWarehouseSession, CancellationToken, Task>? alsoInTransaction, CancellationToken cancellationToken)
    {
        var session = build.Session;
        var table = build.Table;
        var building = Relations.Beside(table, "__sluice_new");
        var retired = Relations.Beside(table, "__sluice_old");
        await session.CreateSchemaAsync(table.Schema, cancellationToken);
        await Relations.DropAsync(session, building, cancellationToken);
        await Relations.DropAsync(session, retired, cancellationToken);
        try
        {
            await session.ExecuteAsync($"create table {Relation.Quoted(building)} as\n{sql}", null, cancellationToken);
            var count = await Relations.CountAsync(session, building, cancellationToken);
            var rows = new RowCounts(count, count, 0, 0);
            await using var transaction = await session.BeginTransactionAsync(cancellationToken);
            switch (await Relations.KindAsync(session, table, cancellationToken))
            {
                case RelationKind.Table:
                    await session.ExecuteAsync($"alter table {Relation.Quoted(table)} rename to {Relations.Quote(retired.Name)}", null, cancellationToken);
                    break;
                case RelationKind.View:
                    await session.ExecuteAsync($"drop view {Relation.Quoted(table)} cascade", null, cancellationToken);
                    break;
            }

            await session.ExecuteAsync($"alter table {Relation.Quoted(building)} rename to {Relations.Quote(table.Name)}", null, cancellationToken);
            await Relations.DropAsync(session, retired, cancellationToken);
            if (alsoInTransaction is not null)
            {
                await alsoInTransaction(session, cancellationToken);
            }

            await build.CommitState(session, rows, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return rows;
        }
        finally
        {
            if (!session.InTransaction)
            {
                await Relations.DropAsync(session, building, CancellationToken.None);
            }
        }
    }
}
