using System.Globalization;
using Sluice.Core.Templating;
using Sluice.Testing;

namespace Sluice.Models.Tests.Packages;

/// <summary>
/// The built-in dbt_date package in models of Projects/dbt_date_calendar, built on each engine;
/// every value is checked against one computed here with .NET's calendar and time zones.
/// </summary>
public abstract class DbtDateTests : ShopProjectTestBase
{
    private static readonly TimeZoneInfo LosAngeles = TimeZoneInfo.FindSystemTimeZoneById("America/Los_Angeles");
    private static readonly DateTimeFormatInfo English = CultureInfo.InvariantCulture.DateTimeFormat;

    private static readonly string[] DimensionColumns =
    [
        "date_day", "prior_date_day", "next_date_day", "prior_year_date_day", "prior_year_over_year_date_day",
        "day_of_week", "day_of_week_iso", "day_of_week_name", "day_of_week_name_short", "day_of_month", "day_of_year",
        "week_start_date", "week_end_date", "prior_year_week_start_date", "prior_year_week_end_date", "week_of_year",
        "iso_week_start_date", "iso_week_end_date", "prior_year_iso_week_start_date", "prior_year_iso_week_end_date",
        "iso_week_of_year", "iso_year_week", "prior_year_week_of_year", "prior_year_iso_week_of_year",
        "month_of_year", "month_name", "month_name_short", "month_start_date", "month_end_date",
        "prior_year_month_start_date", "prior_year_month_end_date",
        "quarter_of_year", "quarter_start_date", "quarter_end_date", "year_number", "year_start_date", "year_end_date",
    ];

    protected override string TemplateName => "dbt_date_calendar";

    [Fact]
    public async Task Date_dimension_has_a_row_per_day_with_every_documented_column()
    {
        await BuildModelAsync("dim_date");

        var days = Enumerable.Range(0, (new DateTime(2021, 3, 5) - new DateTime(2019, 12, 20)).Days).Select(i => new DateTime(2019, 12, 20).AddDays(i));
        Assert.Equal(
            DimensionColumns,
            await RowsAsync("select column_name from information_schema.columns where table_schema = 'main' and table_name = 'dim_date' order by ordinal_position"));
        Assert.Equal(
            days.Select(d => string.Join('|', DimensionRow(d))),
            await RowsAsync($"select {AsText(DimensionColumns)} from main.dim_date order by date_day"));
    }

    [Fact]
    public async Task Base_dates_step_by_datepart_from_the_start_until_before_the_end()
    {
        await BuildModelAsync("base_months base_weeks");

        Assert.Equal(
            Enumerable.Range(0, 5).Select(k => Text(new DateTime(2023, 11, 30).AddMonths(k))),
            await RowsAsync("select cast(date_month as varchar) from main.base_months order by 1"));
        Assert.Equal(
            Enumerable.Range(0, 4).Select(k => Text(new DateTime(2024, 1, 3).AddDays(7 * k))),
            await RowsAsync("select cast(date_week as varchar) from main.base_weeks order by 1"));
        Assert.Equal(
            ["timestamp"],
            await RowsAsync("select distinct case when lower(data_type) in ('timestamp', 'timestamp without time zone') then 'timestamp' else data_type end from information_schema.columns where table_schema = 'main' and table_name in ('base_months', 'base_weeks')"));
    }

    [Fact]
    public async Task Dates_relative_to_a_day_and_date_parts_by_name()
    {
        await BuildModelAsync("anchored");

        var days = Enumerable.Range(0, (new DateTime(2021, 3, 5) - new DateTime(2019, 12, 20)).Days).Select(i => new DateTime(2019, 12, 20).AddDays(i));
        var expected = days.Select(d => string.Join('|', Day(d), Day(d.AddDays(-3)), Day(d.AddDays(10)), Day(d.AddDays(-1)), Day(d.AddDays(1)), Number((int)d.DayOfWeek), Number(d.DayOfYear), Number(IsoDayOfWeek(d))));
        Assert.Equal(
            expected,
            await RowsAsync("select cast(date_day as varchar), cast(three_days_before as varchar), cast(ten_days_after as varchar), cast(day_before as varchar), cast(day_after as varchar), cast(dow as bigint), cast(doy as bigint), iso_dow from main.anchored order by date_day"));
    }

    [Fact]
    public async Task Periods_relative_to_today_follow_the_default_time_zone_or_the_one_given()
    {
        var before = DateTime.UtcNow;
        await BuildModelAsync("relative_periods base_recent_days");
        var after = DateTime.UtcNow;

        string[] columns =
        [
            "today", "yesterday", "tomorrow", "week_ago", "week_away", "cast(two_weeks_ago as date)", "cast(two_weeks_away as date)",
            "cast(last_week as date)", "cast(next_week as date)", "cast(three_months_ago as date)", "cast(three_months_away as date)",
            "cast(last_month as date)", "cast(next_month as date)", "last_month_number", "next_month_number", "last_month_name", "next_month_name",
            "week_start", "week_end", "iso_week_start", "iso_week_end", "week_of_year", "iso_week_of_year", "today_in_kiritimati", "today_in_pago_pago",
        ];
        var row = Assert.Single(await RowsAsync($"select {AsText(columns)} from main.relative_periods"));
        AssertOneOf([[RelativePeriods(before)], [RelativePeriods(after)]], [row]);

        var now = Timestamp(Assert.Single(await RowsAsync("select cast(now_local as varchar) from main.relative_periods")));
        Assert.InRange(now, InLosAngeles(before).AddSeconds(-1), InLosAngeles(after).AddSeconds(1));

        var recent = await RowsAsync("select cast(date_day as varchar) from main.base_recent_days order by 1");
        AssertOneOf([.. new[] { before, after }.Select(t => Enumerable.Range(-3, 4).Select(k => Text(InLosAngeles(t).Date.AddDays(k))).ToList())], recent);
    }

    [Fact]
    public async Task Time_zones_epochs_and_rounding_agree_with_dotnet()
    {
        var before = DateTime.UtcNow;
        await BuildModelAsync("instant_conversions");
        var after = DateTime.UtcNow;

        var rows = await RowsAsync("select id, cast(new_york as varchar), cast(kathmandu as varchar), cast(berlin_wall_clock_in_default_zone as varchar), cast(default_zone as varchar), cast(from_seconds as varchar), cast(from_milliseconds as varchar), cast(from_microseconds as varchar), cast(from_nanoseconds as varchar), cast(nearest_midnight as varchar), days_since, months_since from main.instant_conversions order by id");
        AssertOneOf([Instants(before, LosAngeles), Instants(after, LosAngeles)], rows);

        var seconds = await RowsAsync("select cast(unix_seconds as varchar) from main.instant_conversions order by id");
        Assert.Equal(
            Seed("instants").Select(r => (Timestamp(r[1]) - DateTime.UnixEpoch).TotalSeconds),
            seconds.Select(s => double.Parse(s, CultureInfo.InvariantCulture)));
    }

    [Fact]
    public async Task The_time_zone_var_replaces_the_default_zone()
    {
        var vars = new Dictionary<string, object?> { ["dbt_date:time_zone"] = "Asia/Kathmandu" };
        var before = DateTime.UtcNow;
        AssertAllSucceeded(await BuildAsync("+instant_conversions", vars: vars));
        var after = DateTime.UtcNow;

        var rows = await RowsAsync("select id, cast(new_york as varchar), cast(kathmandu as varchar), cast(berlin_wall_clock_in_default_zone as varchar), cast(default_zone as varchar), cast(from_seconds as varchar), cast(from_milliseconds as varchar), cast(from_microseconds as varchar), cast(from_nanoseconds as varchar), cast(nearest_midnight as varchar), days_since, months_since from main.instant_conversions order by id");
        var kathmandu = TimeZoneInfo.FindSystemTimeZoneById("Asia/Kathmandu");
        AssertOneOf([Instants(before, kathmandu), Instants(after, kathmandu)], rows);
    }

    [Theory]
    [InlineData("fiscal_periods", 1, DayOfWeek.Sunday, 1, 53)]
    [InlineData("fiscal_periods_monday_december", 12, DayOfWeek.Monday, 0, 52)]
    public async Task Fiscal_periods_split_retail_years_into_weeks_of_4_5_4(string model, int yearEndMonth, DayOfWeek weekStart, int shiftYear, int longestYear)
    {
        await BuildModelAsync(model);

        var days = Enumerable.Range(0, (new DateTime(2019, 3, 1) - new DateTime(2016, 1, 1)).Days).Select(i => new DateTime(2016, 1, 1).AddDays(i)).ToList();
        var yearEnds = days
            .Where(d => d.Month == yearEndMonth && d.DayOfWeek == weekStart)
            .GroupBy(d => d.Year)
            .Select(g => (Number: g.Key - shiftYear, End: g.Select(start => start.AddDays(6)).MinBy(end => Math.Abs((end - MonthEnd(g.First())).Days))))
            .OrderBy(y => y.End)
            .ToList();
        var expected = new List<string>();
        foreach (var (previous, year) in yearEnds.Zip(yearEnds.Skip(1)))
        {
            var start = previous.End.AddDays(1);
            foreach (var day in days.Where(d => d >= start && d <= year.End))
            {
                var weekStartDate = day.AddDays(-((day.DayOfWeek - weekStart + 7) % 7));
                var week = ((weekStartDate - start).Days / 7) + 1;
                var quarter = Math.Min((week - 1) / 13, 3);
                var period = week == 53 ? 3 : ((week - 1) % 13) switch { < 4 => 1, < 9 => 2, _ => 3 };
                var firstWeekOfPeriod = (13 * quarter) + (period switch { 1 => 1, 2 => 5, _ => 10 });
                expected.Add(string.Join('|', Day(day), Number(year.Number), Day(weekStartDate), Day(weekStartDate.AddDays(6)), Number(week), Number(week - firstWeekOfPeriod + 1), Number((quarter * 3) + period), Number(quarter + 1), Number(period)));
            }
        }

        // The retail year ending in January 2018 has 53 weeks; its 53rd joins the last period.
        Assert.Equal(longestYear, await CountAsync($"select max(fiscal_week_of_year) from main.{model}"));
        Assert.Equal(
            expected,
            await RowsAsync($"select cast(date_day as varchar), fiscal_year_number, cast(week_start_date as varchar), cast(week_end_date as varchar), fiscal_week_of_year, fiscal_week_of_period, fiscal_period_number, fiscal_quarter_number, fiscal_period_of_quarter from main.{model} order by date_day"));
    }

    [Fact]
    public async Task Names_in_another_language_are_refused_with_the_reason()
    {
        WriteModel("models/french_days.sql", "select {{ dbt_date.day_name('current_date', short=false, language='fr') }} as day_name\n");

        var error = await Assert.ThrowsAsync<TemplateException>(() => BuildAsync("french_days"));

        Assert.Contains("day_name: Sluice's dbt_date names days and months in English only; leave language out instead of 'fr'", error.Message);
        Assert.Contains("called at models/french_days.sql:1:", error.Message);
    }

    private async Task BuildModelAsync(string models) =>
        AssertAllSucceeded(await BuildAsync(string.Join(' ', models.Split(' ').Select(m => "+" + m))));

    // Values that depend on the clock are computed for the times before and after the build: a
    // build that spans a midnight matches one of them.
    private static void AssertOneOf(List<List<string>> candidates, List<string> actual) =>
        Assert.Equal(candidates.FirstOrDefault(c => c.SequenceEqual(actual)) ?? candidates[^1], actual);

    private List<string?[]> Seed(string name) => SeedCsv.Rows(ProjectDirectory, name);

    // The instant_conversions rows for a build at utcNow, with defaultZone as dbt_date's zone.
    private List<string> Instants(DateTime utcNow, TimeZoneInfo defaultZone) =>
        [.. Seed("instants").Select(r =>
        {
            var at = Timestamp(r[1]);
            var epoch = DateTime.UnixEpoch.AddSeconds(long.Parse(r[2]!, CultureInfo.InvariantCulture));
            var berlin = TimeZoneInfo.ConvertTimeToUtc(DateTime.SpecifyKind(at, DateTimeKind.Unspecified), TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin"));
            string[] values =
            [
                r[0]!, Text(In(at, "America/New_York")), Text(In(at, "Asia/Kathmandu")), Text(TimeZoneInfo.ConvertTimeFromUtc(berlin, defaultZone)),
                Text(TimeZoneInfo.ConvertTimeFromUtc(at, defaultZone)), Text(epoch), Text(epoch.AddMilliseconds(250)), Text(epoch.AddTicks(70)), Text(epoch.AddTicks(70)),
                Text(at.AddHours(12).Date), (utcNow.Date - at.Date).Days.ToString(CultureInfo.InvariantCulture),
                ((utcNow.Year * 12) + utcNow.Month - (at.Year * 12) - at.Month).ToString(CultureInfo.InvariantCulture),
            ];
            return string.Join('|', values);
        })];

    private static string[] DimensionRow(DateTime day)
    {
        var priorYear = day.AddYears(-1);
        var yearOverYear = day.AddDays(-364);
        var quarter = new DateTime(day.Year, ((day.Month - 1) / 3 * 3) + 1, 1);
        return
        [
            Day(day), Day(day.AddDays(-1)), Day(day.AddDays(1)), Day(priorYear), Day(yearOverYear),
            Number((int)day.DayOfWeek + 1), Number(IsoDayOfWeek(day)), English.GetDayName(day.DayOfWeek), English.GetAbbreviatedDayName(day.DayOfWeek),
            Number(day.Day), Number(day.DayOfYear),
            Day(Sunday(day)), Day(Sunday(day).AddDays(6)), Day(Sunday(yearOverYear)), Day(Sunday(yearOverYear).AddDays(6)), Number(WeekOfYear(day)),
            Day(Monday(day)), Day(Monday(day).AddDays(6)), Day(Monday(yearOverYear)), Day(Monday(yearOverYear).AddDays(6)),
            Number(ISOWeek.GetWeekOfYear(day)), $"{ISOWeek.GetYear(day)}-W{ISOWeek.GetWeekOfYear(day):00}",
            Number(WeekOfYear(yearOverYear)), Number(ISOWeek.GetWeekOfYear(yearOverYear)),
            Number(day.Month), English.GetMonthName(day.Month), English.GetAbbreviatedMonthName(day.Month),
            Day(new DateTime(day.Year, day.Month, 1)), Day(MonthEnd(day)), Day(new DateTime(priorYear.Year, priorYear.Month, 1)), Day(MonthEnd(priorYear)),
            Number(((day.Month - 1) / 3) + 1), Day(quarter), Day(quarter.AddMonths(3).AddDays(-1)),
            Number(day.Year), Day(new DateTime(day.Year, 1, 1)), Day(new DateTime(day.Year, 12, 31)),
        ];
    }

    // The relative_periods row for a build at utcNow, in America/Los_Angeles.
    private static string RelativePeriods(DateTime utcNow)
    {
        var today = InLosAngeles(utcNow).Date;
        var lastMonth = today.AddMonths(-1);
        var nextMonth = today.AddMonths(1);
        static DateTime MonthStart(DateTime day) => new(day.Year, day.Month, 1);
        string[] values =
        [
            Day(today), Day(today.AddDays(-1)), Day(today.AddDays(1)), Day(today.AddDays(-7)), Day(today.AddDays(7)),
            Day(Monday(today.AddDays(-14))), Day(Monday(today.AddDays(14))), Day(Monday(today.AddDays(-7))), Day(Monday(today.AddDays(7))),
            Day(MonthStart(today.AddMonths(-3))), Day(MonthStart(today.AddMonths(3))), Day(MonthStart(lastMonth)), Day(MonthStart(nextMonth)),
            Number(lastMonth.Month), Number(nextMonth.Month), English.GetAbbreviatedMonthName(lastMonth.Month), English.GetMonthName(nextMonth.Month),
            Day(Sunday(today)), Day(Sunday(today).AddDays(6)), Day(Monday(today)), Day(Monday(today).AddDays(6)),
            Number(WeekOfYear(today)), Number(ISOWeek.GetWeekOfYear(today)),
            Day(In(utcNow, "Pacific/Kiritimati").Date), Day(In(utcNow, "Pacific/Pago_Pago").Date),
        ];
        return string.Join('|', values);
    }

    private static DateTime InLosAngeles(DateTime utc) => TimeZoneInfo.ConvertTimeFromUtc(utc, LosAngeles);

    private static DateTime In(DateTime utc, string zone) => TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), TimeZoneInfo.FindSystemTimeZoneById(zone));

    private static DateTime Sunday(DateTime day) => day.AddDays(-(int)day.DayOfWeek);

    private static DateTime Monday(DateTime day) => day.AddDays(-(((int)day.DayOfWeek + 6) % 7));

    private static DateTime MonthEnd(DateTime day) => new(day.Year, day.Month, DateTime.DaysInMonth(day.Year, day.Month));

    private static int IsoDayOfWeek(DateTime day) => day.DayOfWeek == DayOfWeek.Sunday ? 7 : (int)day.DayOfWeek;

    // dbt_date's week_of_year: week 1 is January 1st to 7th.
    private static int WeekOfYear(DateTime day) => ((day.DayOfYear - 1) / 7) + 1;

    private static string AsText(IEnumerable<string> columns) => string.Join(", ", columns.Select(c => $"cast({c} as varchar)"));

    private static DateTime Timestamp(string? text) => DateTime.Parse(text!, CultureInfo.InvariantCulture);

    private static string Text(DateTime value) => value.ToString("yyyy-MM-dd HH:mm:ss.FFFFFF", CultureInfo.InvariantCulture);

    private static string Day(DateTime value) => value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);
}

public sealed class DuckDbDbtDateTests : DbtDateTests
{
    protected override Task<string?> ProfilesAsync() => Task.FromResult<string?>(null);
}

public sealed class PostgresDbtDateTests : DbtDateTests
{
    protected override async Task<string?> ProfilesAsync() => await (await PostgresServer.GetAsync()).DbtProfilesAsync("dbt_date_calendar");
}
