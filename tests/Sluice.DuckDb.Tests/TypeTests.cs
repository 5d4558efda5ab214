namespace Sluice.DuckDb.Tests;

public sealed class TypeTests : IDisposable
{
    private readonly DuckDbConnection _connection = new("Data Source=:memory:");

    public TypeTests() => _connection.Open();

    public void Dispose() => _connection.Dispose();

    private object Scalar(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar()!;
    }

    private string Text(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        Assert.True(reader.Read());
        return reader.GetString(0);
    }

    [Theory]
    [InlineData("select true", true)]
    [InlineData("select -5::tinyint", (sbyte)-5)]
    [InlineData("select -300::smallint", (short)-300)]
    [InlineData("select -70000::integer", -70000)]
    [InlineData("select -5000000000::bigint", -5000000000L)]
    [InlineData("select 250::utinyint", (byte)250)]
    [InlineData("select 65000::usmallint", (ushort)65000)]
    [InlineData("select 4000000000::uinteger", 4000000000U)]
    [InlineData("select 18000000000000000000::ubigint", 18000000000000000000UL)]
    [InlineData("select 1.5::float", 1.5f)]
    [InlineData("select 2.25::double", 2.25)]
    [InlineData("select 'héllo wörld, longer than twelve bytes'", "héllo wörld, longer than twelve bytes")]
    [InlineData("select 'short'", "short")]
    public void Scalar_types_read_as_their_clr_type(string sql, object expected)
    {
        var value = Scalar(sql);
        Assert.Equal(expected.GetType(), value.GetType());
        Assert.Equal(expected, value);
    }

    [Fact]
    public void Hugeint_and_uhugeint_read_as_128_bit_integers()
    {
        Assert.Equal(Int128.Parse("-170141183460469231731687303715884105727"), Scalar("select -170141183460469231731687303715884105727::hugeint"));
        Assert.Equal(UInt128.Parse("340282366920938463463374607431768211455"), Scalar("select 340282366920938463463374607431768211455::uhugeint"));
    }

    [Theory]
    [InlineData("select 12.34::decimal(4,2)", "12.34")]
    [InlineData("select -123456.789::decimal(9,3)", "-123456.789")]
    [InlineData("select 12345678901234.5678::decimal(18,4)", "12345678901234.5678")]
    [InlineData("select -1234567890123456789012.123456::decimal(38,6)", "-1234567890123456789012.123456")]
    [InlineData("select 0.05::decimal(3,2)", "0.05")]
    public void Decimals_of_every_width_read_exactly(string sql, string expected)
    {
        Assert.Equal(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), Scalar(sql));
        Assert.Equal(expected, Text(sql));
    }

    [Fact]
    public void Decimal_too_large_for_system_decimal_is_a_clear_error_but_reads_as_text()
    {
        const string sql = "select 12345678901234567890123456789012345678::decimal(38,0) as big";
        var error = Assert.Throws<InvalidCastException>(() => Scalar(sql));
        Assert.Contains("big", error.Message);
        Assert.Contains("GetString", error.Message);
        Assert.Equal("12345678901234567890123456789012345678", Text(sql));
    }

    [Fact]
    public void Varchar_and_blob_round_trip_bytes()
    {
        Assert.Equal(new byte[] { 0, 1, 0xAB, 0xFF }, Scalar("select '\\x00\\x01\\xAB\\xFF'::blob"));
        Assert.Equal("\\x00\\x01\\xAB\\xFF", Text("select '\\x00\\x01\\xAB\\xFF'::blob"));
    }

    [Fact]
    public void Dates_times_and_timestamps_read_as_clr_dates()
    {
        Assert.Equal(new DateOnly(2024, 2, 29), Scalar("select date '2024-02-29'"));
        Assert.Equal(new DateOnly(1969, 7, 20), Scalar("select date '1969-07-20'"));
        Assert.Equal(new TimeOnly(13, 45, 30, 123, 456), Scalar("select time '13:45:30.123456'"));
        Assert.Equal(new DateTime(2024, 1, 2, 3, 4, 5, 678, 901), Scalar("select timestamp '2024-01-02 03:04:05.678901'"));
        Assert.Equal(new DateTime(2024, 1, 2, 3, 4, 5), Scalar("select '2024-01-02 03:04:05'::timestamp_s"));
        Assert.Equal(new DateTime(2024, 1, 2, 3, 4, 5, 678), Scalar("select '2024-01-02 03:04:05.678'::timestamp_ms"));
        Assert.Equal(new DateTime(2024, 1, 2, 3, 4, 5, 678, 901).AddTicks(2), Scalar("select '2024-01-02 03:04:05.6789012'::timestamp_ns"));
        Assert.Equal(DateOnly.MaxValue, Scalar("select 'infinity'::date"));
        Assert.Equal("infinity", Text("select 'infinity'::timestamp"));
    }

    [Fact]
    public void Timestamptz_reads_as_utc_and_timetz_as_text()
    {
        _connection.ExecuteScript("set timezone = 'UTC'");
        var value = (DateTime)Scalar("select timestamptz '2024-05-06 07:08:09+02'");
        Assert.Equal(DateTimeKind.Utc, value.Kind);
        Assert.Equal(new DateTime(2024, 5, 6, 5, 8, 9, DateTimeKind.Utc), value);
        Assert.Equal(Text("select (time with time zone '10:11:12+05:30')::varchar"), Text("select time with time zone '10:11:12+05:30'"));
    }

    [Fact]
    public void Intervals_keep_months_days_and_micros()
    {
        Assert.Equal(new DuckDbInterval(14, 3, 3_600_000_001), Scalar("select interval '1 year 2 months 3 days 1 hour 1 microsecond'"));
        using var command = _connection.CreateCommand();
        command.CommandText = "select interval '2 days 3 hours'";
        using var reader = command.ExecuteReader();
        reader.Read();
        Assert.Equal(TimeSpan.FromHours(51), reader.GetFieldValue<TimeSpan>(0));
    }

    [Fact]
    public void Uuid_reads_as_guid()
    {
        Assert.Equal(Guid.Parse("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"), Scalar("select 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid"));
        Assert.Equal(Guid.Parse("00000000-0000-0000-0000-000000000001"), Scalar("select '00000000-0000-0000-0000-000000000001'::uuid"));
    }

    [Fact]
    public void Enum_reads_as_its_label()
    {
        _connection.ExecuteScript("create type mood as enum ('sad', 'ok', 'happy')");
        Assert.Equal("happy", Scalar("select 'happy'::mood"));
    }

    [Theory]
    [InlineData("select [1, 2, NULL, 3]")]
    [InlineData("select ['a', 'b']")]
    [InlineData("select {'x': 1, 'y': 'two'}")]
    [InlineData("select map {'k1': 10, 'k2': 20}")]
    [InlineData("select [[1, 2], [3]]")]
    [InlineData("select [{'a': 1}, {'a': NULL}]")]
    [InlineData("select array_value(1, 2, 3)")]
    public void Nested_values_read_as_duckdb_text(string sql)
    {
        var expected = Text($"select ({sql[7..]})::varchar");
        Assert.Equal(expected, Scalar(sql));
    }

    [Fact]
    public void Json_reads_as_text()
    {
        Assert.Equal("{\"a\":[1,2]}", Scalar("select '{\"a\":[1,2]}'::json"));
        using var command = _connection.CreateCommand();
        command.CommandText = "select '{}'::json";
        using var reader = command.ExecuteReader();
        Assert.Equal("JSON", reader.GetDataTypeName(0));
    }

    [Fact]
    public void Nulls_are_dbnull_for_every_type()
    {
        using var command = _connection.CreateCommand();
        command.CommandText = """
            select null::boolean, null::bigint, null::double, null::decimal(20,2), null::varchar, null::blob,
                   null::date, null::timestamp, null::interval, null::uuid, null::integer[], null::hugeint
            """;
        using var reader = command.ExecuteReader();
        Assert.True(reader.Read());
        for (var i = 0; i < reader.FieldCount; i++)
        {
            Assert.True(reader.IsDBNull(i));
            Assert.Equal(DBNull.Value, reader.GetValue(i));
        }

        var error = Assert.Throws<InvalidCastException>(() => reader.GetInt64(1));
        Assert.Contains("NULL", error.Message);
        Assert.Null(reader.GetFieldValue<long?>(1));
    }

    [Fact]
    public void Nulls_inside_a_large_result_are_placed_by_row()
    {
        using var command = _connection.CreateCommand();
        command.CommandText = "select i, case when i % 7 = 0 then null else i * 2 end from range(10000) t(i)";
        using var reader = command.ExecuteReader();
        var rows = 0;
        while (reader.Read())
        {
            var i = reader.GetInt64(0);
            Assert.Equal(i % 7 == 0, reader.IsDBNull(1));
            if (i % 7 != 0)
            {
                Assert.Equal(i * 2, reader.GetInt64(1));
            }

            rows++;
        }

        Assert.Equal(10000, rows);
    }
}
