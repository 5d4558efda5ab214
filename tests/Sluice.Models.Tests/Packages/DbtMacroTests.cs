using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Sluice.Testing;

namespace Sluice.Models.Tests.Packages;

/// <summary>
/// dbt's cross-database macros (Sluice's built-in <c>dbt</c> package) in models of
/// Projects/dbt_macros, built on each engine; every value is checked against one computed here
/// from the seed rows.
/// </summary>
public abstract class DbtMacroTests : ShopProjectTestBase
{
    private static readonly string[] Dateparts = ["year", "quarter", "month", "week", "day", "hour", "minute", "second", "millisecond", "microsecond"];

    protected override string TemplateName => "dbt_macros";

    /// <summary>The engine's names, in information_schema.columns.data_type, for type_string … type_timestamp.</summary>
    protected abstract string[] TypeNames { get; }

    [Fact]
    public async Task Datediff_counts_the_boundaries_crossed_for_every_datepart()
    {
        await BuildModelAsync("datediffs");

        var expected = Seed("timestamp_pairs").Select(row =>
        {
            var (first, second) = (Timestamp(row[1]), Timestamp(row[2]));
            return string.Join('|', [row[0], .. Dateparts.Select(part => Boundaries(first, second, part).ToString(CultureInfo.InvariantCulture))]);
        });
        Assert.Equal(expected, await RowsAsync($"select id, {string.Join(", ", Dateparts.Select(p => p + "s"))} from main.datediffs order by id"));
    }

    [Fact]
    public async Task Dateadd_moves_by_every_datepart_and_keeps_to_the_end_of_short_months()
    {
        await BuildModelAsync("dateadds");

        var expected = Seed("moments").Select(row =>
        {
            var (at, n) = (Timestamp(row[1]), int.Parse(row[2]!, CultureInfo.InvariantCulture));
            DateTime[] moved =
            [
                at.AddYears(n), at.AddMonths(3 * n), at.AddMonths(n), at.AddDays(7 * n), at.AddDays(n), at.AddHours(n),
                at.AddMinutes(n), at.AddSeconds(n), at.AddTicks(n * TimeSpan.TicksPerMillisecond), at.AddTicks(n * TimeSpan.TicksPerMicrosecond),
                at.AddMonths(-1), at.Date.AddDays(2 * n),
            ];
            return string.Join('|', [row[0], .. moved.Select(Text)]);
        });
        var columns = Dateparts.Select(p => $"plus_{p}s").Concat(["month_before", "from_date"]);
        Assert.Equal(expected, await RowsAsync($"select id, {AsText(columns)} from main.dateadds order by id"));
    }

    [Fact]
    public async Task Date_trunc_and_last_day_give_the_bounds_of_each_period()
    {
        await BuildModelAsync("period_bounds");

        var expected = Seed("moments").Select(row =>
        {
            var at = Timestamp(row[1]);
            var quarter = new DateTime(at.Year, ((at.Month - 1) / 3 * 3) + 1, 1);
            var monday = at.Date.AddDays(-(((int)at.DayOfWeek + 6) % 7));
            DateTime[] starts =
            [
                new(at.Year, 1, 1), quarter, new(at.Year, at.Month, 1), monday, at.Date,
                Truncate(at, TimeSpan.TicksPerHour), Truncate(at, TimeSpan.TicksPerMinute), Truncate(at, TimeSpan.TicksPerSecond),
            ];
            DateTime[] lastDays = [monday.AddDays(6), new(at.Year, at.Month, DateTime.DaysInMonth(at.Year, at.Month)), quarter.AddMonths(3).AddDays(-1), new(at.Year, 12, 31)];
            return string.Join('|', [row[0], .. starts.Select(Text), .. lastDays.Select(Day), Day(lastDays[1])]);
        });
        string[] columns = ["year_start", "quarter_start", "month_start", "week_start", "day_start", "hour_start", "minute_start", "second_start", "week_last_day", "month_last_day", "quarter_last_day", "year_last_day", "month_last_day_of_date"];
        Assert.Equal(expected, await RowsAsync($"select id, {AsText(columns)} from main.period_bounds order by id"));
    }

    [Fact]
    public async Task String_macros_agree_with_dotnet_string_functions()
    {
        await BuildModelAsync("strings");

        var expected = Seed("texts").Select(row =>
        {
            var (text, separator, part, needle) = (row[1]!, row[2]!, int.Parse(row[3]!, CultureInfo.InvariantCulture), row[4]!);
            string[] values =
            [
                $"{text}[{separator}]", Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(text))), text.Length.ToString(CultureInfo.InvariantCulture),
                (text.IndexOf(needle, StringComparison.Ordinal) + 1).ToString(CultureInfo.InvariantCulture), text.Replace(separator, "+", StringComparison.Ordinal), text[^3..],
                SplitPart(text, separator, part), SplitPart(text, separator, 1), SplitPart(text, separator, -1),
            ];
            return string.Join('|', [row[0], .. values]);
        });
        Assert.Equal(expected, await RowsAsync("select id, concatenated, hashed, txt_length, needle_at, replaced, last_three, chosen_part, first_part, last_part from main.strings order by id"));
    }

    [Fact]
    public async Task Aggregates_list_pick_and_or_each_group()
    {
        await BuildModelAsync("aggregates");

        var groups = Seed("measures").GroupBy(r => r[0]!).OrderBy(g => g.Key, StringComparer.Ordinal).ToList();
        var rows = await RowsAsync("select grp, ordered, last_two, any_order, some_label, cast(any_flag as varchar) from main.aggregates order by grp");
        Assert.Equal(groups.Count, rows.Count);
        foreach (var (group, row) in groups.Zip(rows.Select(r => r.Split('|'))))
        {
            var labels = group.OrderBy(r => int.Parse(r[1]!, CultureInfo.InvariantCulture)).Select(r => r[2]!).ToList();
            var flags = group.Where(r => r[3] is not null).Select(r => bool.Parse(r[3]!)).ToList();
            Assert.Equal(group.Key, row[0]);
            Assert.Equal(string.Join(", ", labels), row[1]);
            Assert.Equal(string.Join("-", labels.AsEnumerable().Reverse().Take(2)), row[2]);
            Assert.Equal(labels.Order(StringComparer.Ordinal), row[3].Split(',').Order(StringComparer.Ordinal));
            Assert.Contains(row[4], labels);
            Assert.Equal(flags.Count == 0 ? "NULL" : flags.Any(f => f) ? "true" : "false", row[5]);
        }
    }

    [Fact]
    public async Task Except_intersect_and_equals_follow_set_and_null_semantics()
    {
        await BuildModelAsync("set_operations equalities");

        var measures = Seed("measures");
        var inB = measures.Where(r => r[0] == "b").Select(r => r[2]!).ToHashSet();
        var late = measures.Where(r => int.Parse(r[1]!, CultureInfo.InvariantCulture) > 2).Select(r => r[2]!).ToHashSet();
        Assert.Equal(
            [.. inB.Except(late).Order(StringComparer.Ordinal).Select(l => "except|" + l), .. inB.Intersect(late).Order(StringComparer.Ordinal).Select(l => "intersect|" + l)],
            await RowsAsync("select operation, label from main.set_operations order by operation, label"));

        var expected = Seed("pairs").Select(r =>
        {
            var same = r[1] == r[2];
            return $"{r[0]}|{(same ? "true" : "false")}|{(same ? "false" : "true")}";
        });
        Assert.Equal(expected, await RowsAsync("select id, cast(same as varchar), cast(different as varchar) from main.equalities order by id"));
    }

    [Fact]
    public async Task Arrays_are_built_appended_and_concatenated()
    {
        await BuildModelAsync("arrays");

        Assert.Equal(
            ["1,2,3|x,y|1,2,3|1,2,3|7|z"],
            await RowsAsync("select constructed, constructed_text, appended, concatenated, appended_to_empty, empty_text_concatenated from main.arrays"));
    }

    [Fact]
    public async Task Generate_series_counts_from_one_and_powers_of_two_cover_the_bound()
    {
        await BuildModelAsync("series");

        Assert.Equal(
            Enumerable.Range(1, 13).Select(n => $"{n}|1|4|10|11"),
            await RowsAsync("select generated_number, powers_for_1, powers_for_13, powers_for_1024, powers_for_1025 from main.series order by generated_number"));
    }

    [Fact]
    public async Task Casts_literals_and_dates_from_parts_give_typed_values()
    {
        await BuildModelAsync("casts typed");

        string[] columns = ["int_from_text", "bigint_from_text", "float_tripled", "numeric_rounded", "a_timestamp", "a_boolean", "true_text", "false_text", "escaped", "plain", "leap_day", "from_expressions", "literal_months", "unqualified"];
        Assert.Equal(
            ["43|9007199254740993|7.5|1.123457|2024-02-29 13:14:15|true|true|false|it's 'quoted'|plain|2024-02-29|2024-12-31|2|ab"],
            await RowsAsync($"select {AsText(columns)} from main.casts"));
        Assert.Equal(
            TypeNames,
            await RowsAsync("select data_type from information_schema.columns where table_schema = 'main' and table_name = 'typed' order by ordinal_position"));
        Assert.Equal(["28|6"], await RowsAsync("select numeric_precision, numeric_scale from information_schema.columns where table_schema = 'main' and table_name = 'typed' and column_name = 'a_numeric'"));
    }

    [Fact]
    public async Task Current_timestamp_is_the_time_of_the_build()
    {
        var before = DateTime.UtcNow.AddSeconds(-1);
        await BuildModelAsync("clock");
        var after = DateTime.UtcNow.AddSeconds(1);

        var row = Assert.Single(await RowsAsync("select cast(now_with_zone at time zone 'UTC' as varchar), cast(now_in_utc as varchar), cast(cast(now_with_zone as timestamp) = now_in_session_zone as varchar) from main.clock")).Split('|');
        Assert.InRange(Timestamp(row[0]), before, after);
        Assert.InRange(Timestamp(row[1]), before, after);
        Assert.Equal("true", row[2]);
    }

    protected async Task BuildModelAsync(string models)
    {
        AssertAllSucceeded(await BuildAsync(string.Join(' ', models.Split(' ').Select(m => "+" + m))));
    }

    private List<string?[]> Seed(string name) => SeedCsv.Rows(ProjectDirectory, name);

    private static string AsText(IEnumerable<string> columns) => string.Join(", ", columns.Select(c => $"cast({c} as varchar)"));

    private static DateTime Timestamp(string? text) => DateTime.Parse(text!, CultureInfo.InvariantCulture);

    private static string Text(DateTime value) => value.ToString("yyyy-MM-dd HH:mm:ss.FFFFFF", CultureInfo.InvariantCulture);

    private static string Day(DateTime value) => value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static DateTime Truncate(DateTime value, long unit) => new(value.Ticks / unit * unit);

    // dbt's datediff: boundaries of the part between the two; weeks begin on Sunday.
    private static long Boundaries(DateTime first, DateTime second, string part)
    {
        long Units(long ticks) => (second.Ticks / ticks) - (first.Ticks / ticks);
        static DateTime Sunday(DateTime day) => day.Date.AddDays(-(int)day.DayOfWeek);
        return part switch
        {
            "year" => second.Year - first.Year,
            "quarter" => (second.Year * 4) + ((second.Month - 1) / 3) - ((first.Year * 4) + ((first.Month - 1) / 3)),
            "month" => (second.Year * 12) + second.Month - ((first.Year * 12) + first.Month),
            "week" => (Sunday(second) - Sunday(first)).Days / 7,
            "day" => Units(TimeSpan.TicksPerDay),
            "hour" => Units(TimeSpan.TicksPerHour),
            "minute" => Units(TimeSpan.TicksPerMinute),
            "second" => Units(TimeSpan.TicksPerSecond),
            "millisecond" => Units(TimeSpan.TicksPerMillisecond),
            _ => Units(TimeSpan.TicksPerMicrosecond),
        };
    }

    // PostgreSQL's split_part: from the end when negative, empty past either end.
    private static string SplitPart(string text, string separator, int part)
    {
        var parts = text.Split(separator);
        var index = part > 0 ? part - 1 : parts.Length + part;
        return index >= 0 && index < parts.Length ? parts[index] : string.Empty;
    }
}

public sealed class DuckDbDbtMacroTests : DbtMacroTests
{
    protected override string[] TypeNames => ["VARCHAR", "INTEGER", "BIGINT", "DOUBLE", "DECIMAL(28,6)", "BOOLEAN", "TIMESTAMP"];

    protected override Task<string?> ProfilesAsync() => Task.FromResult<string?>(null);

    [Fact]
    public async Task Safe_cast_yields_null_for_a_value_that_does_not_convert()
    {
        WriteModel("models/safe_casts.sql", "select {{ dbt.safe_cast(\"'twelve'\", dbt.type_int()) }} as not_a_number, {{ dbt.safe_cast(\"'12'\", dbt.type_int()) }} as a_number\n");

        await BuildModelAsync("safe_casts");

        Assert.Equal(["NULL|12"], await RowsAsync("select not_a_number, a_number from main.safe_casts"));
    }
}

public sealed class PostgresDbtMacroTests : DbtMacroTests
{
    protected override string[] TypeNames => ["text", "integer", "bigint", "double precision", "numeric", "boolean", "timestamp without time zone"];

    protected override async Task<string?> ProfilesAsync() => await (await PostgresServer.GetAsync()).DbtProfilesAsync("dbt_macros");
}
