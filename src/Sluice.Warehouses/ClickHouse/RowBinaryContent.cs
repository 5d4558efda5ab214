using System.Buffers.Binary;
using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Numerics;
using System.Text;
using Sluice.Core.Project;

namespace Sluice.Warehouses.ClickHouse;

/// <summary>
/// The body of an <c>INSERT … FORMAT RowBinary</c>: rows written as they are produced, each
/// value in the little-endian layout of its column's ClickHouse type, gzip-compressed when the
/// server is on another machine. A producer that fails breaks the request, so the server
/// receives an incomplete body and inserts nothing of the block it was reading.
/// </summary>
internal sealed class RowBinaryContent : HttpContent
{
    private const int FlushAt = 1 << 16;
    private static readonly DateTime Epoch = DateTime.UnixEpoch;

    private readonly IAsyncEnumerable<object?[]> _rows;
    private readonly ColumnWriter[] _writers;
    private readonly bool _compress;
    private readonly CancellationToken _cancellationToken;

    public RowBinaryContent(IAsyncEnumerable<object?[]> rows, IReadOnlyList<string> clickHouseTypes, bool compress, CancellationToken cancellationToken)
    {
        _rows = rows;
        _writers = [.. clickHouseTypes.Select(ColumnWriter.For)];
        _compress = compress;
        _cancellationToken = cancellationToken;
        Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/octet-stream");
        if (compress)
        {
            Headers.ContentEncoding.Add("gzip");
        }
    }

    /// <summary>The rows written so far.</summary>
    public long Rows { get; private set; }

    /// <summary>What the rows' producer or a value's conversion threw, which broke the request.</summary>
    public Exception? Failure { get; private set; }

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
    {
        Stream target = _compress ? new GZipStream(stream, CompressionLevel.Fastest, leaveOpen: true) : stream;
        try
        {
            var buffer = new ArrayBufferWriter(FlushAt * 2);
            await using var rows = _rows.GetAsyncEnumerator(_cancellationToken);
            while (await NextAsync(rows, buffer))
            {
                if (buffer.Length >= FlushAt)
                {
                    await target.WriteAsync(buffer.Written, _cancellationToken);
                    buffer.Clear();
                }
            }

            await target.WriteAsync(buffer.Written, _cancellationToken);
        }
        finally
        {
            if (_compress)
            {
                await target.DisposeAsync();
            }
        }
    }

    /// <summary>Encodes the next row into the buffer; false at the end. What fails here is the rows' fault, not the connection's.</summary>
    private async ValueTask<bool> NextAsync(IAsyncEnumerator<object?[]> rows, ArrayBufferWriter buffer)
    {
        try
        {
            if (!await rows.MoveNextAsync())
            {
                return false;
            }

            var row = rows.Current;
            for (var i = 0; i < _writers.Length; i++)
            {
                _writers[i].Write(buffer, row[i]);
            }

            Rows++;
            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Failure = e;
            throw;
        }
    }

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }

    /// <summary>A growable byte buffer.</summary>
    internal sealed class ArrayBufferWriter(int capacity)
    {
        private byte[] _bytes = new byte[capacity];

        public int Length { get; private set; }

        public ReadOnlyMemory<byte> Written => _bytes.AsMemory(0, Length);

        public void Clear() => Length = 0;

        public Span<byte> Take(int count)
        {
            if (Length + count > _bytes.Length)
            {
                Array.Resize(ref _bytes, Math.Max(_bytes.Length * 2, Length + count));
            }

            var span = _bytes.AsSpan(Length, count);
            Length += count;
            return span;
        }
    }

    /// <summary>Writes the values of one column.</summary>
    internal sealed class ColumnWriter
    {
        private readonly string _type;
        private readonly bool _nullable;
        private readonly Action<ArrayBufferWriter, object> _write;

        private ColumnWriter(string type, bool nullable, Action<ArrayBufferWriter, object> write)
        {
            _type = type;
            _nullable = nullable;
            _write = write;
        }

        public static ColumnWriter For(string clickHouseType)
        {
            var nullable = clickHouseType.StartsWith("Nullable(", StringComparison.Ordinal);
            var type = ClickHouseDialect.Unwrap(clickHouseType);
            if (type.StartsWith("LowCardinality", StringComparison.Ordinal) || clickHouseType.Contains("LowCardinality", StringComparison.Ordinal))
            {
                nullable = clickHouseType.Contains("Nullable(", StringComparison.Ordinal);
            }

            Action<ArrayBufferWriter, object> write = type switch
            {
                "UInt8" => (b, v) => b.Take(1)[0] = v is bool flag ? (byte)(flag ? 1 : 0) : Convert.ToByte(v, CultureInfo.InvariantCulture),
                "Int8" => (b, v) => b.Take(1)[0] = (byte)Convert.ToSByte(v, CultureInfo.InvariantCulture),
                "UInt16" => (b, v) => BinaryPrimitives.WriteUInt16LittleEndian(b.Take(2), Convert.ToUInt16(v, CultureInfo.InvariantCulture)),
                "Int16" => (b, v) => BinaryPrimitives.WriteInt16LittleEndian(b.Take(2), Convert.ToInt16(v, CultureInfo.InvariantCulture)),
                "UInt32" => (b, v) => BinaryPrimitives.WriteUInt32LittleEndian(b.Take(4), Convert.ToUInt32(v, CultureInfo.InvariantCulture)),
                "Int32" => (b, v) => BinaryPrimitives.WriteInt32LittleEndian(b.Take(4), Convert.ToInt32(v, CultureInfo.InvariantCulture)),
                "UInt64" => (b, v) => BinaryPrimitives.WriteUInt64LittleEndian(b.Take(8), Convert.ToUInt64(v, CultureInfo.InvariantCulture)),
                "Int64" => (b, v) => BinaryPrimitives.WriteInt64LittleEndian(b.Take(8), Convert.ToInt64(v, CultureInfo.InvariantCulture)),
                "Float32" => (b, v) => BinaryPrimitives.WriteSingleLittleEndian(b.Take(4), Convert.ToSingle(v, CultureInfo.InvariantCulture)),
                "Float64" => (b, v) => BinaryPrimitives.WriteDoubleLittleEndian(b.Take(8), Convert.ToDouble(v, CultureInfo.InvariantCulture)),
                "String" => WriteString,
                "Date" => (b, v) => BinaryPrimitives.WriteUInt16LittleEndian(b.Take(2), checked((ushort)DaysSinceEpoch(v))),
                "UUID" => WriteUuid,
                _ when type.StartsWith("DateTime", StringComparison.Ordinal) => (b, v) => BinaryPrimitives.WriteUInt32LittleEndian(b.Take(4), checked((uint)SecondsSinceEpoch(v))),
                _ when type.StartsWith("Decimal", StringComparison.Ordinal) => DecimalWriter(type),
                _ => throw new WarehouseException($"Sluice cannot load values into a ClickHouse column of type {clickHouseType}; load it with SQL instead."),
            };
            return new ColumnWriter(type, nullable, write);
        }

        public void Write(ArrayBufferWriter buffer, object? value)
        {
            var isNull = value is null or DBNull;
            if (_nullable)
            {
                buffer.Take(1)[0] = isNull ? (byte)1 : (byte)0;
                if (isNull)
                {
                    return;
                }
            }
            else if (isNull)
            {
                throw new WarehouseException($"A NULL cannot go into a ClickHouse column of type {_type}, which is not Nullable.");
            }

            try
            {
                _write(buffer, value!);
            }
            catch (Exception e) when (e is FormatException or InvalidCastException or OverflowException)
            {
                throw new WarehouseException($"The value {value} cannot go into a ClickHouse column of type {_type}: {e.Message}", e);
            }
        }

        private static void WriteString(ArrayBufferWriter buffer, object value)
        {
            if (value is byte[] bytes)
            {
                WriteLength(buffer, bytes.Length);
                bytes.CopyTo(buffer.Take(bytes.Length));
                return;
            }

            var text = value switch
            {
                string s => s,
                DateTime t => t.ToString("yyyy-MM-dd HH:mm:ss.FFFFFF", CultureInfo.InvariantCulture),
                DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                TimeOnly t => t.ToString("HH:mm:ss.FFFFFF", CultureInfo.InvariantCulture),
                TimeSpan t => t.ToString("c", CultureInfo.InvariantCulture),
                bool flag => flag ? "true" : "false",
                _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty,
            };
            var length = Encoding.UTF8.GetByteCount(text);
            WriteLength(buffer, length);
            Encoding.UTF8.GetBytes(text, buffer.Take(length));
        }

        private static void WriteLength(ArrayBufferWriter buffer, int length)
        {
            var value = (uint)length;
            while (value >= 0x80)
            {
                buffer.Take(1)[0] = (byte)(value | 0x80);
                value >>= 7;
            }

            buffer.Take(1)[0] = (byte)value;
        }

        // A UUID goes as two 64-bit halves, each little-endian, the first half of its text first.
        private static void WriteUuid(ArrayBufferWriter buffer, object value)
        {
            var guid = value is Guid g ? g : Guid.Parse(Convert.ToString(value, CultureInfo.InvariantCulture)!);
            Span<byte> bytes = stackalloc byte[16];
            guid.TryWriteBytes(bytes, bigEndian: true, out _);
            var target = buffer.Take(16);
            BinaryPrimitives.WriteUInt64LittleEndian(target, BinaryPrimitives.ReadUInt64BigEndian(bytes));
            BinaryPrimitives.WriteUInt64LittleEndian(target[8..], BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]));
        }

        private static Action<ArrayBufferWriter, object> DecimalWriter(string type)
        {
            var (precision, scale) = ClickHouseDialect.DecimalPrecision(type);
            return (buffer, value) =>
            {
                var number = value is decimal d ? d : Convert.ToDecimal(value, CultureInfo.InvariantCulture);
                var scaled = Scaled(number, scale);
                if (precision <= 9)
                {
                    BinaryPrimitives.WriteInt32LittleEndian(buffer.Take(4), (int)scaled);
                }
                else if (precision <= 18)
                {
                    BinaryPrimitives.WriteInt64LittleEndian(buffer.Take(8), (long)scaled);
                }
                else
                {
                    BinaryPrimitives.WriteInt128LittleEndian(buffer.Take(16), (Int128)scaled);
                }
            };
        }

        private static BigInteger Scaled(decimal number, int scale)
        {
            var rounded = Math.Round(number, Math.Min(scale, 28), MidpointRounding.AwayFromZero);
            var bits = decimal.GetBits(rounded);
            var magnitude = new BigInteger((uint)bits[0]) | (new BigInteger((uint)bits[1]) << 32) | (new BigInteger((uint)bits[2]) << 64);
            var valueScale = (bits[3] >> 16) & 0xFF;
            var scaled = valueScale <= scale ? magnitude * BigInteger.Pow(10, scale - valueScale) : magnitude / BigInteger.Pow(10, valueScale - scale);
            return bits[3] < 0 ? -scaled : scaled;
        }

        private static int DaysSinceEpoch(object value) => value switch
        {
            DateOnly d => d.DayNumber - DateOnly.FromDateTime(Epoch).DayNumber,
            DateTime t => DateOnly.FromDateTime(t).DayNumber - DateOnly.FromDateTime(Epoch).DayNumber,
            DateTimeOffset t => DateOnly.FromDateTime(t.UtcDateTime).DayNumber - DateOnly.FromDateTime(Epoch).DayNumber,
            string s => DateOnly.Parse(s, CultureInfo.InvariantCulture).DayNumber - DateOnly.FromDateTime(Epoch).DayNumber,
            _ => throw new InvalidCastException($"{value.GetType().Name} is not a date."),
        };

        private static long SecondsSinceEpoch(object value) => value switch
        {
            DateTime t => (long)Math.Floor((ClickHouseSql.ToUtc(t) - Epoch).TotalSeconds),
            DateTimeOffset t => t.ToUnixTimeSeconds(),
            DateOnly d => (long)(d.ToDateTime(TimeOnly.MinValue) - Epoch).TotalSeconds,
            string s => (long)Math.Floor((ClickHouseSql.ToUtc(DateTime.Parse(s, CultureInfo.InvariantCulture)) - Epoch).TotalSeconds),
            _ => throw new InvalidCastException($"{value.GetType().Name} is not a timestamp."),
        };
    }
}
