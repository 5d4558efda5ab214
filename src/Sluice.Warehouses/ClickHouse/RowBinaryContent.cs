using System.Buffers.Binary;
using System.Globalization;
using System.IO.Compression;
using System.Numerics;
using System.Text;
using Sluice.Core.Project;

namespace Sluice.Warehouses.ClickHouse;

/// <summary>
/// Rows in ClickHouse's RowBinary format: each value in the little-endian layout of its
/// column's ClickHouse type, written to a spool file before anything is sent. A load is sent
/// whole or not at all: the server would take a body cut short at a row boundary for a
/// complete one, so a producer that fails halfway must not have sent any of its rows.
/// </summary>
internal sealed class RowBinaryContent
{
    private const int FlushAt = 1 << 16;
    private static readonly DateTime Epoch = DateTime.UnixEpoch;

    private readonly ColumnWriter[] _writers;

    public RowBinaryContent(string table, IReadOnlyList<(string Name, string Type)> columns)
    {
        _writers = [.. columns.Select(c => ColumnWriter.For($"{table}.{c.Name}", c.Type))];
    }

    /// <summary>The rows written.</summary>
    public long Rows { get; private set; }

    /// <summary>Their size in RowBinary, before any compression: about what the server holds of them in memory.</summary>
    public long Bytes { get; private set; }

    /// <summary>
    /// Writes every row to a temporary file (gzip-compressed when <paramref name="compress"/>)
    /// and returns it as a request body of known length; the file goes when the body is disposed.
    /// </summary>
    public async Task<HttpContent> SpoolAsync(IAsyncEnumerable<object?[]> rows, bool compress, CancellationToken cancellationToken)
    {
        var path = Path.Combine(Path.GetTempPath(), $"sluice-clickhouse-{Guid.NewGuid():N}.rowbinary");
        // Readable by this user alone: the file holds the rows being loaded.
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.ReadWrite,
            Share = FileShare.None,
            BufferSize = 1 << 16,
            Options = FileOptions.DeleteOnClose | FileOptions.Asynchronous,
        };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        var file = new FileStream(path, options);
        try
        {
            // The gzip stream, when there is one, is closed to write its trailer; the file stays open.
            var target = compress ? new GZipStream(file, CompressionLevel.Fastest, leaveOpen: true) : (Stream)new NonClosing(file);
            await using (target.ConfigureAwait(false))
            {
                var buffer = new ArrayBufferWriter(FlushAt * 2);
                await foreach (var row in rows.WithCancellation(cancellationToken))
                {
                    for (var i = 0; i < _writers.Length; i++)
                    {
                        _writers[i].Write(buffer, row[i]);
                    }

                    Rows++;
                    if (buffer.Length >= FlushAt)
                    {
                        Bytes += buffer.Length;
                        await target.WriteAsync(buffer.Written, cancellationToken);
                        buffer.Clear();
                    }
                }

                Bytes += buffer.Length;
                await target.WriteAsync(buffer.Written, cancellationToken);
            }

            file.Position = 0;
            var content = new StreamContent(file, 1 << 16);
            content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/octet-stream");
            content.Headers.ContentLength = file.Length;
            if (compress)
            {
                content.Headers.ContentEncoding.Add("gzip");
            }

            return content;
        }
        catch
        {
            await file.DisposeAsync();
            throw;
        }
    }

    /// <summary>Writes through to a stream that must stay open when the writer is disposed.</summary>
    private sealed class NonClosing(Stream inner) : Stream
    {
        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => inner.Length;

        public override long Position { get => inner.Position; set => throw new NotSupportedException(); }

        public override void Flush() => inner.Flush();

        public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) => inner.WriteAsync(buffer, cancellationToken);

        public override ValueTask DisposeAsync() => new(inner.FlushAsync());
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
        private readonly string _column;
        private readonly string _type;
        private readonly bool _nullable;
        private readonly Action<ArrayBufferWriter, object> _write;

        private ColumnWriter(string column, string type, bool nullable, Action<ArrayBufferWriter, object> write)
        {
            _column = column;
            _type = type;
            _nullable = nullable;
            _write = write;
        }

        public static ColumnWriter For(string column, string clickHouseType)
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
                "Date" => (b, v) => BinaryPrimitives.WriteUInt16LittleEndian(b.Take(2), (ushort)DaysSinceEpoch(v)),
                "UUID" => WriteUuid,
                _ when type.StartsWith("DateTime", StringComparison.Ordinal) => (b, v) => BinaryPrimitives.WriteUInt32LittleEndian(b.Take(4), (uint)SecondsSinceEpoch(v)),
                _ when type.StartsWith("Decimal", StringComparison.Ordinal) => DecimalWriter(type),
                _ => throw new WarehouseException($"{column}: Sluice cannot load values into a ClickHouse column of type {clickHouseType}; load it with SQL instead."),
            };
            return new ColumnWriter(column, type, nullable, write);
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
                throw new WarehouseException($"{_column}: a NULL cannot go into this ClickHouse column of type {_type}, which is not Nullable.");
            }

            try
            {
                _write(buffer, value!);
            }
            catch (Exception e) when (e is FormatException or InvalidCastException or OverflowException)
            {
                throw new WarehouseException($"{_column}: the value {Shown(value!)} cannot go into a ClickHouse column of type {_type}: {e.Message}", e);
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
                TimeOnly t => t.ToString("HH:mm:ss.ffffff", CultureInfo.InvariantCulture),
                TimeSpan t when t >= TimeSpan.Zero && t < TimeSpan.FromDays(1) => t.ToString(@"hh\:mm\:ss\.ffffff", CultureInfo.InvariantCulture),
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

        private static string Shown(object value) => value switch
        {
            DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            DateTime t => t.ToString("yyyy-MM-dd HH:mm:ss.FFFFFF", CultureInfo.InvariantCulture),
            DateTimeOffset t => t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.FFFFFF", CultureInfo.InvariantCulture),
            _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty,
        };

        // Date counts days from 1970-01-01 and DateTime seconds from then; 18.16 reads neither
        // right past the end of 2105, though the bits would reach 2149 and 2106.
        private static readonly int LastDay = new DateOnly(2105, 12, 31).DayNumber - DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber;

        private static readonly long LastSecond = (long)(new DateTime(2106, 1, 1, 0, 0, 0, DateTimeKind.Utc) - DateTime.UnixEpoch).TotalSeconds - 1;

        private static int DaysSinceEpoch(object value)
        {
            var date = value switch
            {
                DateOnly d => d,
                DateTime t => DateOnly.FromDateTime(t),
                DateTimeOffset t => DateOnly.FromDateTime(t.UtcDateTime),
                string s => DateOnly.Parse(s, CultureInfo.InvariantCulture),
                _ => throw new InvalidCastException($"{value.GetType().Name} is not a date."),
            };
            var days = date.DayNumber - DateOnly.FromDateTime(Epoch).DayNumber;
            return days >= 0 && days <= LastDay
                ? days
                : throw new OverflowException("ClickHouse dates run from 1970-01-01 to 2105-12-31");
        }

        private static long SecondsSinceEpoch(object value)
        {
            var seconds = value switch
            {
                DateTime t => (long)Math.Floor((ClickHouseSql.ToUtc(t) - Epoch).TotalSeconds),
                DateTimeOffset t => t.ToUnixTimeSeconds(),
                DateOnly d => (long)(d.ToDateTime(TimeOnly.MinValue) - Epoch).TotalSeconds,
                string s => (long)Math.Floor((ClickHouseSql.ToUtc(DateTime.Parse(s, CultureInfo.InvariantCulture)) - Epoch).TotalSeconds),
                _ => throw new InvalidCastException($"{value.GetType().Name} is not a timestamp."),
            };
            return seconds >= 0 && seconds <= LastSecond
                ? seconds
                : throw new OverflowException("ClickHouse timestamps run from 1970-01-01 00:00:00 to 2105-12-31 23:59:59 UTC");
        }
    }
}
