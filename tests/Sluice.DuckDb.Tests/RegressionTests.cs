using Dapper;

namespace Sluice.DuckDb.Tests;

public sealed class TransactionAndAppenderEdgeTests : IDisposable
{
    private readonly DuckDbConnection _connection = new("Data Source=:memory:");

    public TransactionAndAppenderEdgeTests() => _connection.Open();

    public void Dispose() => _connection.Dispose();

    [Fact]
    public void Commit_with_an_open_reader_is_refused_and_the_transaction_stays_usable()
    {
        _connection.ExecuteScript("create table t (a integer)");
        var transaction = _connection.BeginTransaction();
        _connection.ExecuteScript("insert into t values (1)");
        var command = _connection.CreateCommand();
        command.CommandText = "select * from t";
        var reader = command.ExecuteReader();

        Assert.Throws<InvalidOperationException>(transaction.Commit);

        reader.Dispose();
        transaction.Commit();
        Assert.Equal(1L, _connection.ExecuteScalar<long>("select count(*) from t"));
        using var next = _connection.BeginTransaction();
    }

    [Fact]
    public void Commit_after_a_failed_statement_says_it_rolled_back()
    {
        _connection.ExecuteScript("create table t (a integer primary key)");
        var transaction = _connection.BeginTransaction();
        _connection.ExecuteScript("insert into t values (1)");
        Assert.Throws<DuckDbException>(() => _connection.ExecuteScript("insert into t values ('not a number')"));

        var error = Assert.Throws<DuckDbException>(transaction.Commit);
        Assert.Contains("rolled back", error.Message);
        Assert.Equal(0L, _connection.ExecuteScalar<long>("select count(*) from t"));
    }

    [Theory]
    [InlineData("2.345", "2.35")]
    [InlineData("-2.345", "-2.35")]
    [InlineData("99.994", "99.99")]
    public void Appended_decimals_round_as_sql_does(string input, string expected)
    {
        _connection.ExecuteScript("create table d (v decimal(4,2))");
        using (var appender = _connection.CreateAppender(null, "d"))
        {
            appender.AppendRow(decimal.Parse(input, System.Globalization.CultureInfo.InvariantCulture));
        }

        Assert.Equal(_connection.ExecuteScalar<string>($"select ({input})::decimal(4,2)::varchar"), _connection.ExecuteScalar<string>("select v::varchar from d"));
        Assert.Equal(expected, _connection.ExecuteScalar<string>("select v::varchar from d"));
    }

    [Theory]
    [InlineData("100.00")]
    [InlineData("327.67")]
    [InlineData("99.996")]
    public void A_decimal_too_wide_for_its_column_is_refused(string input)
    {
        _connection.ExecuteScript("create table d (v decimal(4,2))");
        using var appender = _connection.CreateAppender(null, "d");
        var error = Assert.Throws<DuckDbException>(() => appender.AppendRow(decimal.Parse(input, System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Contains("DECIMAL(4,2)", error.Message);
    }

    [Fact]
    public void Decimals_with_a_large_scale_are_exact()
    {
        _connection.ExecuteScript("create table d (v decimal(38,30))");
        using (var appender = _connection.CreateAppender(null, "d"))
        {
            appender.AppendRow(0.5m);
        }

        Assert.Equal("0.500000000000000000000000000000", _connection.ExecuteScalar<string>("select v::varchar from d"));
    }

    [Fact]
    public void An_abandoned_row_leaves_no_stale_null_behind()
    {
        _connection.ExecuteScript("create table t (a integer, b integer)");
        using (var appender = _connection.CreateAppender(null, "t"))
        {
            appender.BeginRow().AppendNull();
            Assert.ThrowsAny<Exception>(() => appender.AppendValue("not a number"));
            appender.BeginRow().AppendValue(1).AppendValue(2).EndRow();
        }

        Assert.Equal(1L, _connection.ExecuteScalar<long>("select count(*) from t where a = 1 and b = 2"));
    }

    [Fact]
    public void Abort_discards_the_rows_not_yet_sent()
    {
        _connection.ExecuteScript("create table t (a integer)");
        var appender = _connection.CreateAppender(null, "t");
        appender.AppendRow(1);
        appender.Abort();
        appender.Dispose();
        Assert.Equal(0L, _connection.ExecuteScalar<long>("select count(*) from t"));
    }

    [Fact]
    public void Instants_before_1970_round_down_to_their_unit()
    {
        _connection.ExecuteScript("create table t (s timestamp_s, us timestamp)");
        var instant = new DateTime(1969, 12, 31, 23, 59, 59, 500);
        using (var appender = _connection.CreateAppender(null, "t"))
        {
            appender.AppendRow(instant, instant.AddTicks(5));
        }

        Assert.Equal("1969-12-31 23:59:59", _connection.ExecuteScalar<string>("select s::varchar from t"));
        Assert.Equal("1969-12-31 23:59:59.5", _connection.ExecuteScalar<string>("select us::varchar from t"));
        Assert.Equal(1L, _connection.ExecuteScalar<long>("select count(*) from t where us = $v", new { v = instant.AddTicks(5) }));
    }

    [Fact]
    public void A_local_time_appended_to_timestamptz_is_stored_as_its_instant()
    {
        _connection.ExecuteScript("create table t (moment timestamptz)");
        var local = new DateTime(2024, 6, 1, 12, 0, 0, DateTimeKind.Local);
        using (var appender = _connection.CreateAppender(null, "t"))
        {
            appender.AppendRow(local);
        }

        Assert.Equal(local.ToUniversalTime(), _connection.ExecuteScalar<DateTime>("select moment from t"));
    }

    [Fact]
    public void A_timestamp_beyond_datetime_is_a_cast_error_naming_the_column()
    {
        var error = Assert.Throws<InvalidCastException>(() => _connection.ExecuteScalar("select to_timestamp(1844674407371)::timestamp_s as far"));
        Assert.Contains("far", error.Message);
    }
}
