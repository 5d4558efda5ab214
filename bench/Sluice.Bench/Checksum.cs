using Sluice.DuckDb;

namespace Sluice.Bench;

/// <summary>
/// Aggregates over a table's rows. Accumulating them keeps the timed loops from being optimized
/// away, and comparing them with SQL's proves that every value arrived intact: b is always a
/// multiple of 0.5 below 2^52, so its sum is exact in any order, and the last digit of c checks
/// the text itself, not just its length.
/// </summary>
internal readonly record struct Checksum(long Rows, long SumA, double SumB, long TotalLength, long LastDigits)
{
    public static Checksum Of(long a, double b, string c) => new(1, a, b, c.Length, c[^1] - '0');

    public static Checksum Query(DuckDbConnection connection, string table)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT count(*), sum(a), sum(b), sum(length(c)), sum(ascii(right(c, 1)) - 48) FROM {table}";
        using var reader = command.ExecuteReader();
        if (!reader.Read() || reader.IsDBNull(1))
        {
            return default;
        }

        return new Checksum(
            reader.GetInt64(0),
            reader.GetFieldValue<long>(1),
            reader.GetDouble(2),
            reader.GetFieldValue<long>(3),
            reader.GetFieldValue<long>(4));
    }

    public static void Verify(string what, Checksum actual, Checksum expected)
    {
        if (actual != expected)
        {
            throw new InvalidDataException($"{what} produced wrong data: got {actual}, expected {expected}. The figures would be meaningless.");
        }
    }
}
