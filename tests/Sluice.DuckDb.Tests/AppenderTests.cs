using Dapper;

namespace Sluice.DuckDb.Tests;

public sealed class AppenderTests : IDisposable
{
    private readonly DuckDbConnection _connection = new("Data Source=:memory:");

    public AppenderTests() => _connection.Open();

    public void Dispose() => _connection.Dispose();

    [Fact]
    public void Appends_many_chunks_of_typed_rows_with_nulls()
    {
        _connection.ExecuteScript("create table t (a bigint, b double, c varchar)");
        const int rows = 10_000;
        using (var appender = _connection.CreateAppender(null, "t"))
        {
            for (var i = 0; i < rows; i++)
            {
                appender.BeginRow().Append(i).Append(i * 0.5).Append(i % 5 == 0 ? null : $"row number {i:D6}").EndRow();
            }

            Assert.Equal(rows, appender.RowCount);
        }

        Assert.Equal(rows, _connection.ExecuteScalar<long>("select count(*) from t"));
        Assert.Equal((long)rows * (rows - 1) / 2, _connection.ExecuteScalar<long>("select sum(a)::bigint from t"));
        Assert.Equal(rows / 5, _connection.ExecuteScalar<long>("select count(*) from t where c is null"));
        Assert.Equal("row number 009999", _connection.ExecuteScalar<string>("select c from t where a = 9999"));
        Assert.Equal(4999.5, _connection.ExecuteScalar<double>("select b from t where a = 9999"));
    }

    [Fact]
    public void Appends_every_scalar_type_by_value()
    {
        _connection.ExecuteScript("""
            create table t (b boolean, i integer, s smallint, h hugeint, f float, d decimal(10,3), big decimal(30,4),
                            v varchar, bl blob, dt date, tm time, ts timestamp, tz timestamptz, iv interval, u uuid)
            """);
        var guid = Guid.Parse("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11");
        using (var appender = _connection.CreateAppender("main", "t"))
        {
            appender.AppendRow(true, 7, (short)3, (Int128)123, 1.5f, 12.345m, 123456789012345678.1234m, "x", new byte[] { 1, 2 },
                new DateOnly(2024, 1, 2), new TimeOnly(3, 4, 5), new DateTime(2024, 1, 2, 3, 4, 5), new DateTime(2024, 1, 2, 3, 4, 5, DateTimeKind.Utc),
                TimeSpan.FromHours(26), guid);
            appender.AppendRow(null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);
        }

        _connection.ExecuteScript("set timezone = 'UTC'");
        var row = _connection.QuerySingle("""
            select b, i, s, h::varchar as h, f, d::varchar as d, big::varchar as big, v, bl, dt::varchar as dt, tm::varchar as tm,
                   ts::varchar as ts, tz::varchar as tz, iv::varchar as iv, u::varchar as u
            from t where b
            """);
        Assert.True(row.b);
        Assert.Equal(7, row.i);
        Assert.Equal("123", row.h);
        Assert.Equal("12.345", row.d);
        Assert.Equal("123456789012345678.1234", row.big);
        Assert.Equal(new byte[] { 1, 2 }, row.bl);
        Assert.Equal("2024-01-02", row.dt);
        Assert.Equal("03:04:05", row.tm);
        Assert.Equal("2024-01-02 03:04:05", row.ts);
        Assert.Equal("2024-01-02 03:04:05+00", row.tz);
        Assert.Equal("1 day 02:00:00", row.iv);
        Assert.Equal(guid.ToString(), row.u);
        Assert.Equal(1L, _connection.ExecuteScalar<long>("select count(*) from t where i is null and v is null and u is null and iv is null"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("a")]
    [InlineData("twelve bytes")]
    [InlineData("thirteen byte")]
    [InlineData("ünïcödé, and longer than twelve bytes")]
    [InlineData("lone surrogate \ud800 becomes a replacement character")]
    public void Strings_of_every_length_round_trip(string value)
    {
        _connection.ExecuteScript("create table s (v varchar, b blob)");
        using (var appender = _connection.CreateAppender(null, "s"))
        {
            appender.AppendRow(value, System.Text.Encoding.UTF8.GetBytes(value));
            appender.AppendRow(value, System.Text.Encoding.UTF8.GetBytes(value));
        }

        var expected = System.Text.Encoding.UTF8.GetString(System.Text.Encoding.UTF8.GetBytes(value));
        Assert.Equal([expected, expected], _connection.Query<string>("select v from s"));
        Assert.Equal(2L, _connection.ExecuteScalar<long>("select count(*) from s where v = $v and octet_length(b) = $n", new { v = expected, n = System.Text.Encoding.UTF8.GetByteCount(value) }));
    }

    [Fact]
    public void A_short_row_is_rejected_with_the_column_count()
    {
        _connection.ExecuteScript("create table t (a bigint, b bigint)");
        using var appender = _connection.CreateAppender(null, "t");
        var error = Assert.Throws<InvalidOperationException>(() => appender.BeginRow().Append(1L).EndRow());
        Assert.Contains("2 values", error.Message);
    }

    [Fact]
    public void A_missing_table_is_a_catalog_error_naming_it()
    {
        var error = Assert.Throws<DuckDbException>(() => _connection.CreateAppender("main", "nope"));
        Assert.Contains("main.nope", error.Message);
    }

    [Fact]
    public void A_constraint_violation_surfaces_when_the_chunk_is_sent()
    {
        _connection.ExecuteScript("create table t (a bigint not null)");
        var appender = _connection.CreateAppender(null, "t");
        appender.AppendRow((object?)null);
        var error = Assert.Throws<DuckDbException>(appender.Close);
        Assert.Contains("NOT NULL", error.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(0L, _connection.ExecuteScalar<long>("select count(*) from t"));
    }

    [Fact]
    public void Appended_rows_join_the_open_transaction()
    {
        _connection.ExecuteScript("create table t (a bigint)");
        using (var transaction = _connection.BeginTransaction())
        {
            using (var appender = _connection.CreateAppender(null, "t"))
            {
                appender.AppendRow(1L);
            }

            transaction.Rollback();
        }

        Assert.Equal(0L, _connection.ExecuteScalar<long>("select count(*) from t"));
    }

    [Fact]
    public void The_allocator_hands_freed_pages_back_after_a_large_load()
    {
        // The Linux build of DuckDB that Sluice ships carries jemalloc; without it the sync's
        // DuckDB memory would grow with every batch.
        Assert.True(OperatingSystem.IsLinux() && DuckDbAllocator.CanReleaseFreePages, "the bundled libduckdb has no jemalloc control entry (duckdb_je_mallctl)");
        _connection.ExecuteScript("create table big as select i, repeat('x', 200) || i as s from range(300000) r(i); drop table big");
        Assert.True(DuckDbAllocator.ReleaseFreePages());
        Assert.Equal(0L, _connection.ExecuteScalar<long>("select count(*) from duckdb_tables() where table_name = 'big'"));
    }
}
