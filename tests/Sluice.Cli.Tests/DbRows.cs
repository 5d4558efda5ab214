using System.Data.Common;
using Sluice.DuckDb;

namespace Sluice.Cli.Tests;

/// <summary>Rows of a query as arrays of values, NULLs as null, for comparing a warehouse with what a test computes.</summary>
public static class DbRows
{
    /// <summary>Every row <paramref name="reader"/> has left.</summary>
    public static List<object?[]> Read(DbDataReader reader)
    {
        var rows = new List<object?[]>();
        while (reader.Read())
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            }

            rows.Add(row);
        }

        return rows;
    }

    /// <summary>The rows of <paramref name="sql"/> on the DuckDB file <paramref name="path"/>, opened read-only, as a second process reads a warehouse no command holds.</summary>
    public static List<object?[]> QueryDuckDb(string path, string sql)
    {
        using var connection = new DuckDbConnection($"Data Source={path};access_mode=READ_ONLY");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        return Read(reader);
    }
}
