using Sluice.Warehouses.ClickHouse;

namespace Sluice.Warehouses.Tests;

/// <summary>What the ClickHouse adapter does to SQL before the server sees it: no server needed.</summary>
public sealed class ClickHouseSqlTests
{
    [Fact]
    public void Parameters_in_code_become_literals_and_those_in_strings_comments_and_names_stay()
    {
        const string Sql = "select $1, '$1', \"$1\", `$2` -- $1\n/* $2 */ , $2, $10";
        var parameters = Enumerable.Range(1, 10).Select(i => (object?)i).ToList();
        parameters[0] = "it's \\ here";

        var bound = ClickHouseSql.Bind(Sql, parameters);

        Assert.Equal("select 'it\\'s \\\\ here', '$1', \"$1\", `$2` -- $1\n/* $2 */ , 2, 10", bound);
        Assert.Throws<ArgumentException>(() => ClickHouseSql.Bind("select $3", [1, 2]));
    }

    [Theory]
    [InlineData(null, "NULL")]
    [InlineData(true, "1")]
    [InlineData(-12L, "-12")]
    [InlineData(2.5, "2.5")]
    [InlineData(3.0, "3.0")]
    [InlineData(double.NaN, "nan")]
    public void Values_are_spelled_as_clickhouse_literals(object? value, string literal) =>
        Assert.Equal(literal, ClickHouseSql.Literal(value));

    [Fact]
    public void Dates_times_decimals_uuids_and_bytes_keep_their_types()
    {
        Assert.Equal("toDate('2024-02-29')", ClickHouseSql.Literal(new DateOnly(2024, 2, 29)));
        Assert.Equal("toDateTime('2024-01-02 03:04:05', 'UTC')", ClickHouseSql.Literal(new DateTime(2024, 1, 2, 3, 4, 5, DateTimeKind.Utc)));
        Assert.Equal("32472144000", ClickHouseSql.Literal(new DateTimeOffset(2999, 1, 1, 0, 0, 0, TimeSpan.Zero)));
        Assert.Equal("-86400", ClickHouseSql.Literal(new DateTime(1969, 12, 31, 0, 0, 0, DateTimeKind.Utc)));
        Assert.Equal("toDecimal128('-12.50', 2)", ClickHouseSql.Literal(-12.50m));
        Assert.Equal("'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'", ClickHouseSql.Literal(Guid.Parse("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11")));
        Assert.Equal("unhex('00FF')", ClickHouseSql.Literal(new byte[] { 0, 255 }));
    }

    [Fact]
    public void Scripts_are_cut_at_semicolons_in_code_only()
    {
        var statements = ClickHouseSql.Statements("select 'a;b'; -- c;d\nselect 'it''s;' ;\n/* ; */ select 'x\\';y' ;;  ");
        Assert.Equal(["select 'a;b'", "-- c;d\nselect 'it''s;'", "/* ; */ select 'x\\';y'"], statements);
    }

    [Fact]
    public void Shared_words_are_respelled_outside_strings_and_names()
    {
        Assert.Equal(
            "select 1, 0, now(), toDate(now(), 'UTC'), toDate('2024-01-02'), toDateTime('2024-01-02 03:04:05', 'UTC'), 'true', is_true, \"false\"",
            ClickHouseSql.Translate("select TRUE, false, current_timestamp, current_date, date '2024-01-02', timestamp '2024-01-02 03:04:05', 'true', is_true, \"false\""));
    }

    [Fact]
    public void Identifiers_are_quoted_with_their_backslashes_and_quotes_escaped()
    {
        Assert.Equal("\"we\\\"ird\\\\name\"", ClickHouseDialect.Instance.Quote("we\"ird\\name"));
    }

    [Fact]
    public void Updates_and_deletes_become_mutations_split_at_their_own_where()
    {
        var update = ClickHouseMutation.Parse("-- note\nupdate \"_sluice\".\"runs\" set note = 'where x', n = (select max(n) from t where k = 1) where id = 2 and s = 'RUNNING'")!;
        Assert.Equal("alter table \"_sluice\".\"runs\" update note = 'where x', n = (select max(n) from t where k = 1) where ifNull((id = 2 and s = 'RUNNING'), 0)", update.AlterSql);
        Assert.Equal(("_sluice", "runs"), update.Names());

        var delete = ClickHouseMutation.Parse("delete from raw.events")!;
        Assert.Equal("alter table raw.events delete where ifNull((1), 0)", delete.AlterSql);
        Assert.Null(ClickHouseMutation.Parse("insert into raw.events values (1)"));
    }
}
