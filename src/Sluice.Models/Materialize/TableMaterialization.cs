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
        var rows = await ReplaceAsync(build, build.Sql(isIncremental: false), cancellationToken);
        await build.RunHooksAsync(build.Model.Config.PostHooks, false, cancellationToken);
        return rows;
    }

    /// <summary>Builds <paramref name="sql"/> into a new table and swaps it in, with the job-run row in the swap transaction.</summary>
    public static async Task<RowCounts> ReplaceAsync(ModelBuild build, string sql, CancellationToken cancellationToken)
    {
        var session = build.Session;
        var dialect = build.Dialect;
        var table = build.Table;
        var retired = Relations.Beside(table, "__sluice_old");
        await Relations.DropOwnTableAsync(session, retired, cancellationToken);
        await using var building = await ScratchTable.ClaimAsync(session, Relations.Beside(table, "__sluice_new"), cancellationToken);
        await ModelTables.CreateAsync(build, building.Name, sql, empty: false, cancellationToken);
        var count = await Relations.CountAsync(session, building.Name, cancellationToken);
        var rows = new RowCounts(count, count, 0, 0);
        await using var transaction = await session.BeginTransactionAsync(cancellationToken);
        switch (await build.ExistingKindAsync(cancellationToken))
        {
            case RelationKind.Table:
                await session.ExecuteAsync(dialect.RenameTable(table, retired.Name), null, cancellationToken);
                break;
            case RelationKind.View:
                await session.ExecuteAsync(dialect.DropRelation(dialect.Quote(table), view: true), null, cancellationToken);
                break;
        }

        await session.ExecuteAsync(dialect.RenameTable(building.Name, table.Name), null, cancellationToken);
        await Relations.DropOwnTableAsync(session, retired, cancellationToken);
        await build.CommitState(session, rows, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return rows;
    }
}
