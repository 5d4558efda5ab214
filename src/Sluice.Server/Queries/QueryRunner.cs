using System.Data.Common;
using System.Diagnostics;
using Sluice.Core.Warehouse;

namespace Sluice.Server.Queries;

/// <summary>
/// Runs the API's queries on the warehouse, each on its own session (through
/// <see cref="WarehouseReads"/>, so a broken connection is replaced once), at most
/// <paramref name="concurrency"/> at once: more would only share the same cores and lengthen
/// every answer, so later requests wait their turn instead.
/// </summary>
/// <param name="warehouse">The project's warehouse.</param>
/// <param name="concurrency">How many queries may run at once.</param>
public sealed class QueryRunner(IWarehouse warehouse, int concurrency)
{
    private readonly SemaphoreSlim _slots = new(concurrency, concurrency);

    /// <summary>The warehouse queried.</summary>
    public IWarehouse Warehouse => warehouse;

    /// <summary>The SQL dialect of the warehouse.</summary>
    public ISqlDialect Dialect => warehouse.Dialect;

    /// <summary>
    /// Runs <paramref name="sql"/> and reads its rows with <paramref name="read"/>; returns what it
    /// read and the milliseconds the query took. <paramref name="read"/> starts afresh if the query
    /// is run again on a new connection.
    /// </summary>
    public async Task<(T Result, double Milliseconds)> RunAsync<T>(string sql, IReadOnlyList<object?> parameters, Func<DbDataReader, CancellationToken, Task<T>> read, CancellationToken cancellationToken)
    {
        await _slots.WaitAsync(cancellationToken);
        try
        {
            var watch = Stopwatch.StartNew();
            var result = await warehouse.ReadAsync(
                async (session, token) =>
                {
                    await using var reader = await session.QueryAsync(sql, parameters, token);
                    return await read(reader, token);
                },
                cancellationToken);
            return (result, watch.Elapsed.TotalMilliseconds);
        }
        finally
        {
            _slots.Release();
        }
    }

    /// <summary>Runs <paramref name="sql"/>, a query of one count, and returns the count (0 when it returns no row).</summary>
    public async Task<long> CountAsync(string sql, IReadOnlyList<object?> parameters, CancellationToken cancellationToken) =>
        (await RunAsync(sql, parameters, async (reader, token) => await reader.ReadAsync(token) ? Long(reader, 0) : 0, cancellationToken)).Result;

    /// <summary>Reads every row with <paramref name="row"/>.</summary>
    public static async Task<List<T>> ReadAllAsync<T>(DbDataReader reader, Func<DbDataReader, T> row, CancellationToken cancellationToken)
    {
        var rows = new List<T>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(row(reader));
        }

        return rows;
    }

    /// <summary>A nullable double column.</summary>
    public static double? Double(DbDataReader reader, int ordinal)
    {
        if (reader.IsDBNull(ordinal))
        {
            return null;
        }

        var value = Convert.ToDouble(reader.GetValue(ordinal), System.Globalization.CultureInfo.InvariantCulture);
        return double.IsFinite(value) ? value : null;
    }

    /// <summary>A count column.</summary>
    public static long Long(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? 0 : Convert.ToInt64(reader.GetValue(ordinal), System.Globalization.CultureInfo.InvariantCulture);
}
