using Sluice.Core.Checks;
using Sluice.Core.Warehouse;

namespace Sluice.Checks;

/// <summary>
/// Duplicates of one column (<c>unique</c>, nulls left out as in dbt) or of a combination of
/// columns: every row that shares its value with another fails, so <c>mostly</c> counts rows.
/// </summary>
/// <param name="check">The check.</param>
/// <param name="scope">The rows it looks at.</param>
/// <param name="dialect">The engine's dialect.</param>
/// <param name="columns">The columns whose values must not repeat.</param>
/// <param name="relationColumns">Every column of the relation, which failing rows show.</param>
/// <param name="skipNulls">Whether rows with a null in the columns are left out (unique).</param>
internal sealed class DuplicatePlan(CheckDefinition check, CheckScope scope, ISqlDialect dialect, IReadOnlyList<string> columns, IReadOnlyList<string> relationColumns, bool skipNulls) : CheckPlan(check, scope)
{
    /// <summary>The column of the sample that says how often a value occurs.</summary>
    public const string OccurrencesColumn = "_occurrences";

    /// <summary>The columns whose values must not repeat.</summary>
    public IReadOnlyList<string> Columns => columns;

    /// <summary>Whether this is the search for repeated values of a single column, which other searches in its scope can share.</summary>
    public bool IsSingleColumn => skipNulls && columns.Count == 1;

    private string List => string.Join(", ", columns.Select(dialect.Quote));

    /// <inheritdoc />
    public override string? FailingRowsSql =>
        $"select * from ({dialect.WithGroupCount(Rows(), relationColumns, columns, OccurrencesColumn)}) as counted where {OccurrencesColumn} > 1";

    /// <summary>
    /// Measures from a count found together with another search (<paramref name="values"/>
    /// holds it, see <see cref="MeasureTogetherAsync"/>), or with a query of its own.
    /// </summary>
    public override async Task<Measurement> MeasureAsync(IWarehouseSession session, IReadOnlyList<object?> values, long? inScope, CancellationToken cancellationToken)
    {
        if (values.Count > 0)
        {
            return new Measurement(Count(values[0]), inScope);
        }

        var failing = await WithKeyCountSettingsAsync(session, inScope, () => session.ScalarAsync($"select sum(n) from ({Repeats(Rows())}) as duplicates", null, cancellationToken), cancellationToken);
        return new Measurement(Count(failing), inScope);
    }

    /// <summary>
    /// Failing rows of a single-column search and of searches of combinations containing that
    /// column, in one query, in that order. A combination can repeat only where the column repeats
    /// or is null, so after the single column's search it needs to look at those rows alone:
    /// when the column is unique, that is nothing. <paramref name="inScope"/> is the number of rows
    /// in their scope, when known.
    /// </summary>
    public static async Task<IReadOnlyList<long>> MeasureTogetherAsync(IWarehouseSession session, DuplicatePlan single, IReadOnlyList<DuplicatePlan> combinations, long? inScope, CancellationToken cancellationToken)
    {
        var dialect = session.Warehouse.Dialect;
        var column = dialect.Quote(single.Columns[0]);
        static string Sum(string repeats) => $"coalesce((select sum(n) from ({repeats}) as duplicates), 0)";
        var sql = dialect.WithShared(
            "repeated",
            $"select {column} as repeated_value, count(*) as n {single.Rows()} group by {column} having count(*) > 1",
            repeated =>
            {
                var sums = combinations.Select(c =>
                    $"{Sum(c.Repeats(c.Rows($"{column} is null")))} + {Sum(c.Repeats(c.Rows($"{column} in (select repeated_value from {repeated})")))}");
                return $"select coalesce((select sum(n) from {repeated}), 0), {string.Join(", ", sums)}";
            });
        return await WithKeyCountSettingsAsync(
            session,
            inScope,
            async () =>
            {
                await using var reader = await session.QueryAsync(sql, null, cancellationToken);
                await reader.ReadAsync(cancellationToken);
                return Enumerable.Range(0, reader.FieldCount).Select(i => Count(reader.GetValue(i))).ToList();
            },
            cancellationToken);
    }

    // Counts of the values that occur more than once, among the given rows.
    private string Repeats(string rows) => $"select count(*) as n {rows} group by {List} having count(*) > 1";

    private string Rows(string? condition = null)
    {
        var conditions = (skipNulls ? columns.Select(c => $"{dialect.Quote(c)} is not null") : []).Concat(condition is null ? [] : [condition]).ToList();
        return conditions.Count == 0 ? Scope!.From(dialect) : Scope!.FromWhere(dialect, string.Join(" and ", conditions));
    }

    // The engine's settings for counting keys, sized by the rows in scope: unknown, the defaults serve.
    private static async Task<T> WithKeyCountSettingsAsync<T>(IWarehouseSession session, long? inScope, Func<Task<T>> query, CancellationToken cancellationToken)
    {
        if (inScope is not { } rows || session.Warehouse.Dialect.KeyCountSettings(rows) is not { } settings)
        {
            return await query();
        }

        await session.ExecuteAsync(settings.Set, null, cancellationToken);
        try
        {
            return await query();
        }
        finally
        {
            await session.ExecuteAsync(settings.Reset, null, CancellationToken.None);
        }
    }
}
