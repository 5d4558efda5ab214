using System.Globalization;
using Parquet;
using Parquet.Schema;
using Sluice.Warehouses.Values;

namespace Sluice.Operate.Export;

/// <summary>
/// One column of a Parquet row group being gathered: its Parquet field and a buffer of one
/// group's values. Every column is nullable.
/// </summary>
internal abstract class ParquetColumn
{
    // Decimals whose column declares no precision (PostgreSQL's bare numeric, which sums and
    // averages return) are written as decimal(38, 18): as wide as Parquet's 16-byte decimals go,
    // with room for the fractions averages produce.
    private const int WidePrecision = 38;
    private const int WideScale = 18;

    /// <summary>The Parquet field.</summary>
    public abstract DataField Field { get; }

    /// <summary>
    /// The column for values of <paramref name="type"/> (as the reader reports it): booleans,
    /// integers, floats, decimals (with the column's precision and scale), dates and timestamps
    /// (microseconds; adjusted to UTC for types with a time zone) and bytes keep their types;
    /// anything else — text, UUIDs, intervals, times of day, lists, JSON — is written as UTF-8
    /// text in the form the other formats give it.
    /// </summary>
    public static ParquetColumn For(string name, Type type, string dataTypeName, int? precision, int? scale, int capacity)
    {
        if (type == typeof(bool))
        {
            return new ValueColumn<bool>(new DataField<bool?>(name), v => (bool)v, capacity);
        }

        if (type == typeof(short) || type == typeof(sbyte) || type == typeof(byte))
        {
            return new ValueColumn<short>(new DataField<short?>(name), v => Convert.ToInt16(v, CultureInfo.InvariantCulture), capacity);
        }

        if (type == typeof(int) || type == typeof(ushort))
        {
            return new ValueColumn<int>(new DataField<int?>(name), v => Convert.ToInt32(v, CultureInfo.InvariantCulture), capacity);
        }

        if (type == typeof(long) || type == typeof(uint))
        {
            return new ValueColumn<long>(new DataField<long?>(name), v => Convert.ToInt64(v, CultureInfo.InvariantCulture), capacity);
        }

        if (type == typeof(float))
        {
            return new ValueColumn<float>(new DataField<float?>(name), v => (float)v, capacity);
        }

        if (type == typeof(double))
        {
            return new ValueColumn<double>(new DataField<double?>(name), v => (double)v, capacity);
        }

        if (type == typeof(decimal))
        {
            var (p, s) = precision is > 0 and <= WidePrecision && scale is >= 0 && scale <= precision ? (precision.Value, scale.Value) : (WidePrecision, WideScale);
            return new ValueColumn<decimal>(new DecimalDataField(name, p, s, isNullable: true), v => Fit(name, (decimal)v, p, s), capacity);
        }

        if (type == typeof(DateOnly))
        {
            return new ValueColumn<DateOnly>(new DataField<DateOnly?>(name), v => (DateOnly)v, capacity);
        }

        if (type == typeof(DateTime))
        {
            var utc = dataTypeName.Contains("with time zone", StringComparison.OrdinalIgnoreCase) || dataTypeName.Equals("timestamptz", StringComparison.OrdinalIgnoreCase);
            return new ValueColumn<DateTime>(new DateTimeDataField(name, DateTimeFormat.Timestamp, isAdjustedToUTC: utc, unit: DateTimeTimeUnit.Micros, isNullable: true), v => (DateTime)v, capacity);
        }

        if (type == typeof(byte[]))
        {
            return new BytesColumn(new DataField(name, typeof(byte[]), isNullable: true), capacity);
        }

        return new TextColumn(new DataField(name, typeof(string), isNullable: true), capacity);
    }

    /// <summary>Adds a row's value, null for SQL NULL.</summary>
    public abstract void Add(object? value);

    /// <summary>Writes the first <paramref name="count"/> buffered values as this column of <paramref name="group"/>, and empties the buffer.</summary>
    public abstract Task WriteAsync(ParquetRowGroupWriter group, int count, CancellationToken cancellationToken);

    // A decimal with more fraction digits than the column's scale is rounded to it (only the
    // wide fallback can see one); one with more whole digits than the column holds is an error
    // that names the column and the value.
    private static decimal Fit(string column, decimal value, int precision, int scale)
    {
        var rounded = decimal.Round(value, Math.Min(scale, 28), MidpointRounding.ToEven);
        var wholeDigits = precision - scale;
        if (wholeDigits < 29 && Math.Abs(decimal.Truncate(rounded)) >= Pow10(wholeDigits))
        {
            throw new ExportException($"column '{column}' holds {value.ToString(CultureInfo.InvariantCulture)}, which does not fit Parquet's decimal({precision}, {scale}); cast the column to a wider numeric in the model.");
        }

        return rounded;
    }

    private static decimal Pow10(int exponent)
    {
        var result = 1m;
        for (var i = 0; i < exponent; i++)
        {
            result *= 10;
        }

        return result;
    }

    private sealed class ValueColumn<T>(DataField dataField, Func<object, T> convert, int capacity) : ParquetColumn
        where T : struct
    {
        private readonly T?[] _values = new T?[capacity];
        private int _count;

        public override DataField Field => dataField;

        public override void Add(object? value) => _values[_count++] = value is null ? null : convert(value);

        public override async Task WriteAsync(ParquetRowGroupWriter group, int count, CancellationToken cancellationToken)
        {
            await group.WriteAsync<T>(dataField, _values.AsMemory(0, count), cancellationToken: cancellationToken);
            _count = 0;
        }
    }

    private sealed class TextColumn(DataField dataField, int capacity) : ParquetColumn
    {
        private readonly string[] _values = new string[capacity];
        private int _count;

        public override DataField Field => dataField;

        public override void Add(object? value) => _values[_count++] = value is null ? null! : ValueText.Format(value);

        public override async Task WriteAsync(ParquetRowGroupWriter group, int count, CancellationToken cancellationToken)
        {
            await group.WriteAsync(dataField, new ArraySegment<string>(_values, 0, count));
            Array.Clear(_values, 0, count);
            _count = 0;
        }
    }

    private sealed class BytesColumn(DataField dataField, int capacity) : ParquetColumn
    {
        private readonly byte[][] _values = new byte[capacity][];
        private int _count;

        public override DataField Field => dataField;

        public override void Add(object? value) => _values[_count++] = (byte[]?)value!;

        public override async Task WriteAsync(ParquetRowGroupWriter group, int count, CancellationToken cancellationToken)
        {
            await group.WriteAsync(dataField, new ArraySegment<byte[]>(_values, 0, count));
            Array.Clear(_values, 0, count);
            _count = 0;
        }
    }
}
