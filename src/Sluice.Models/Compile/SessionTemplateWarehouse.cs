using Sluice.Core.Models;
using Sluice.Core.Warehouse;

namespace Sluice.Models.Compile;

/// <summary>
/// A session as templates see the warehouse: <c>run_query</c> and the adapter's catalog reads,
/// answered while the model renders, on the build's own session.
/// </summary>
/// <param name="session">The session.</param>
public sealed class SessionTemplateWarehouse(IWarehouseSession session) : ITemplateWarehouse
{
    /// <inheritdoc />
    public QueryTable Query(string sql) => Wait(async () =>
    {
        await using var reader = await session.QueryAsync(sql);
        var names = Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).ToList();
        var rows = new List<object?[]>();
        while (await reader.ReadAsync())
        {
            var row = new object?[reader.FieldCount];
            reader.GetValues(row!);
            rows.Add(row);
        }

        return new QueryTable(names, rows);
    });

    /// <inheritdoc />
    public IReadOnlyList<TemplateColumn>? Columns(TableName table) => Wait(async () =>
    {
        var info = await session.DescribeTableAsync(table);
        return info?.Columns.Select(c => new TemplateColumn(c.Name, session.Warehouse.Dialect.TypeName(c.Type))).ToList();
    });

    // Templates render synchronously; the session's work is awaited here, off any synchronization context.
    private static T Wait<T>(Func<Task<T>> work) => Task.Run(work).GetAwaiter().GetResult();
}
