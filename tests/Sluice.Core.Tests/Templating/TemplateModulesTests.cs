using Microsoft.Extensions.Time.Testing;
using Sluice.Core.Models;
using Sluice.Core.Templating;
using Sluice.Core.Warehouse;

namespace Sluice.Core.Tests.Templating;

/// <summary>
/// dbt's <c>modules</c> as a template reaches it through the context, with the clock fixed at
/// 2024-03-10 14:30:15.123456 UTC and the local zone Europe/Paris (UTC+1 that day). The expected
/// texts are what Python 3.12 prints for the same expressions.
/// </summary>
public sealed class TemplateModulesTests
{
    private static readonly FakeTimeProvider Clock = CreateClock();

    private static FakeTimeProvider CreateClock()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2024, 3, 10, 14, 30, 15, TimeSpan.Zero).AddTicks(1_234_560));
        clock.SetLocalTimeZone(TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris"));
        return clock;
    }

    private static string Render(string template)
    {
        var context = new TemplateContext
        {
            Vars = new Dictionary<string, object?>(),
            Environment = _ => null,
            Target = new TargetInfo("dev", "main", "duckdb", 1),
            This = new Relation(new TableName("main", "m")),
            Ref = (_, name) => name,
            Source = (_, source, table) => $"{source}.{table}",
            ProjectName = "shop",
            Clock = Clock,
        };
        var source = new TemplateSource("models/m.sql", template);
        return TemplateRenderer.Render(source, TemplateParser.Parse(source), context.ToEnvironment());
    }

    private static TemplateException Failure(string template) => Assert.Throws<TemplateException>(() => Render(template));

    [Theory]
    [InlineData("{{ modules.datetime.datetime.now() }}", "2024-03-10 15:30:15.123456")]
    [InlineData("{{ modules.datetime.datetime.utcnow() }}", "2024-03-10 14:30:15.123456")]
    [InlineData("{{ modules.datetime.date.today() }}", "2024-03-10")]
    [InlineData("{{ modules.datetime.datetime.now(modules.pytz.utc).isoformat() }}", "2024-03-10T14:30:15.123456+00:00")]
    [InlineData("{{ modules.datetime.datetime.now().timestamp() }}", "1710081015.123456")]
    [InlineData("{{ modules.datetime.datetime.fromtimestamp(0, modules.pytz.utc) }} {{ modules.datetime.datetime.fromtimestamp(0) }}", "1970-01-01 00:00:00+00:00 1970-01-01 01:00:00")]
    public void The_clock_is_the_contexts_and_local_time_is_its_zone(string template, string expected) => Assert.Equal(expected, Render(template));

    [Theory]
    [InlineData("{% set d = modules.datetime.date(2024, 2, 28) %}{{ d + modules.datetime.timedelta(days=2) }} {{ (d - modules.datetime.date(2023, 12, 31)).days }} {{ d.weekday() }} {{ d.isoweekday() }}", "2024-03-01 59 2 3")]
    [InlineData("{{ modules.datetime.date(2024, 2, 28).strftime('%A %d %B %Y, day %j, week %U/%W, %a %b %-d %e') }}", "Wednesday 28 February 2024, day 059, week 08/09, Wed Feb 28 28")]
    [InlineData("{% set t = modules.datetime.datetime.strptime('2024-01-05 13:04:05', '%Y-%m-%d %H:%M:%S') %}{{ t }} {{ t.year }} {{ t.hour }} {{ (t + modules.datetime.timedelta(hours=12)).strftime('%Y%m%d %I:%M %p') }} {{ t.date() }}", "2024-01-05 13:04:05 2024 13 20240106 01:04 AM 2024-01-05")]
    [InlineData("{{ modules.datetime.datetime.strptime('5 Jan 24 7:03pm', '%d %b %y %I:%M%p') }}", "2024-01-05 19:03:00")]
    [InlineData("{{ modules.datetime.datetime.strptime('2024-01-05T10:00:00.5+0530', '%Y-%m-%dT%H:%M:%S.%f%z') }}", "2024-01-05 10:00:00.500000+05:30")]
    [InlineData("{{ modules.datetime.timedelta(days=1, hours=2, minutes=3, seconds=4) }}|{{ modules.datetime.timedelta(hours=-1) }}|{{ modules.datetime.timedelta(seconds=1.5) }}|{{ modules.datetime.timedelta(weeks=1).total_seconds() }}", "1 day, 2:03:04|-1 day, 23:00:00|0:00:01.500000|604800.0")]
    [InlineData("{% set h = modules.datetime.timedelta(hours=36) %}{{ h.days }} {{ h.seconds }} {{ h * 2 }} {{ h / 2 }} {{ h / modules.datetime.timedelta(hours=12) }} {{ -h }}", "1 43200 3 days, 0:00:00 18:00:00 3.0 -2 days, 12:00:00")]
    [InlineData("{{ modules.datetime.date(2024, 1, 10) - modules.datetime.timedelta(hours=36) }} {{ modules.datetime.date(2024, 1, 10) + modules.datetime.timedelta(hours=36) }}", "2024-01-09 2024-01-11")]
    [InlineData("{{ modules.datetime.date(2024, 1, 1) < modules.datetime.date(2024, 1, 2) }} {{ modules.datetime.date(2024, 1, 1) == modules.datetime.date(2024, 1, 1) }} {{ [modules.datetime.date(2024, 3, 1), modules.datetime.date(2023, 1, 1)] | sort | map('string') | join(',') }}", "True True 2023-01-01,2024-03-01")]
    [InlineData("{% set a = modules.datetime.datetime(2024, 1, 1, 12) %}{{ a - modules.datetime.datetime(2023, 12, 31) }} {{ a > modules.datetime.datetime(2024, 1, 1) }} {{ a.replace(day=31, hour=0) }} {{ a.isoformat() }}", "1 day, 12:00:00 True 2024-01-31 00:00:00 2024-01-01T12:00:00")]
    [InlineData("{{ modules.datetime.datetime.fromisoformat('2024-01-05T10:00:00+02:00').astimezone(modules.pytz.utc) }} {{ modules.datetime.date.fromisoformat('2024-01-05').month }}", "2024-01-05 08:00:00+00:00 1")]
    [InlineData("{% set ny = modules.pytz.timezone('America/New_York') %}{% set t = ny.localize(modules.datetime.datetime(2024, 7, 1, 12)) %}{{ t.isoformat() }} {{ t.strftime('%z %Z') }} {{ t == modules.datetime.datetime(2024, 7, 1, 16, tzinfo=modules.pytz.utc) }} {{ ny }}", "2024-07-01T12:00:00-04:00 -0400 EDT True America/New_York")]
    [InlineData("{{ modules.datetime.datetime(2024, 1, 1, tzinfo=modules.datetime.timezone.utc).timestamp() }} {{ modules.datetime.datetime(2024, 12, 30).isocalendar() }}", "1704067200.0 [2025, 1, 1]")]
    public void Dates_and_durations_compute_and_print_as_in_Python(string template, string expected) => Assert.Equal(expected, Render(template));

    [Theory]
    [InlineData(@"{{ modules.re.match('(\d+)-(\d+)', '12-34x').groups() }}", "['12', '34']")]
    [InlineData(@"{{ modules.re.match('\d+', 'x12') is none }} {{ modules.re.search('\d+', 'x12').group() }}", "True 12")]
    [InlineData(@"{% set m = modules.re.search('(?P<y>\d{4})-(\d{2})', 'on 2024-05') %}{{ m.group(1) }} {{ m.group(2) }} {{ m.group('y') }} {{ m.span() }} {{ m.groupdict() }}", "2024 05 2024 [3, 10] {'y': '2024'}")]
    [InlineData(@"{{ modules.re.findall('[a-z]+', 'ab 12 cd') }} {{ modules.re.findall('(\w)=(\d)', 'a=1, b=2') }} {{ modules.re.findall('(\d)', 'a1b2') }}", "['ab', 'cd'] [['a', '1'], ['b', '2']] ['1', '2']")]
    [InlineData(@"{{ modules.re.sub('(\w+)@(\w+)', '\2 at \g<1>', 'me@host, you@there') }} {{ modules.re.sub('a', 'b', 'aaa', count=2) }} {{ modules.re.subn('a', 'b', 'aaa') }}", "host at me, there at you bba ['bbb', 3]")]
    [InlineData("{{ modules.re.search('ABC', 'xabc', flags=modules.re.IGNORECASE) is not none }} {{ modules.re.match('abc', 'ABC', modules.re.I).group() }} {{ modules.re.findall('^b', 'a\nb', modules.re.M + modules.re.I) }}", "True ABC ['b']")]
    [InlineData("{% set p = modules.re.compile('^stg_(.*)$') %}{{ p.match('stg_orders').group(1) }} {{ p.match('orders') is none }} {{ p.pattern }} {{ p.groups }}", "orders True ^stg_(.*)$ 1")]
    [InlineData(@"{{ modules.re.split('(,)\s*', 'a, b,c') }} {{ modules.re.split(',', 'a,b,c', maxsplit=1) }} {{ modules.re.escape('a.b*c d') }}", @"['a', ',', 'b', ',', 'c'] ['a', 'b,c'] a\.b\*c\ d")]
    [InlineData(@"{{ modules.re.search('a\Z', 'a\n') is none }} {{ modules.re.fullmatch('a{,2}', 'aa') is not none }} {{ modules.re.fullmatch('a|ab', 'ab').group() }}", "True True ab")]
    [InlineData(@"{{ modules.re.match('(\d+)  # the digits (all of them)', '42', modules.re.X).groups() }} {{ modules.re.match('(?i)ab', 'AB') is not none }} {{ modules.re.match('\w+', 'é1', modules.re.A) is none }}", "['42'] True True")]
    [InlineData(@"{{ modules.re.search('(a)|(b)', 'b').groups() }} {{ modules.re.search('(?P<x>a)(?P=x)', 'xaa').start() }}", "[None, 'b'] 1")]
    public void Regular_expressions_use_Pythons_syntax_and_group_numbering(string template, string expected) => Assert.Equal(expected, Render(template));

    [Theory]
    [InlineData("{{ modules.itertools.chain([1, 2], [3], 'ab') | list }} {{ modules.itertools.chain.from_iterable([[1], [2, 3]]) }}", "[1, 2, 3, 'a', 'b'] [1, 2, 3]")]
    [InlineData("{{ modules.itertools.product(['a', 'b'], [1, 2]) }} {{ modules.itertools.product([0, 1], repeat=2) | length }}", "[['a', 1], ['a', 2], ['b', 1], ['b', 2]] 4")]
    [InlineData("{{ modules.itertools.combinations([1, 2, 3], 2) }} {{ modules.itertools.permutations([1, 2, 3], 2) | length }} {{ modules.itertools.combinations_with_replacement('ab', 2) }}", "[[1, 2], [1, 3], [2, 3]] 6 [['a', 'a'], ['a', 'b'], ['b', 'b']]")]
    public void Itertools_returns_lists_in_Pythons_order(string template, string expected) => Assert.Equal(expected, Render(template));

    [Theory]
    [InlineData("{{ modules.os.getcwd() }}", "modules.os is not supported by Sluice; modules has datetime, itertools, pytz, re")]
    [InlineData("{{ modules.datetime.time(1, 2) }}", "datetime.time is not supported by Sluice; datetime has date, datetime, MAXYEAR, MINYEAR, timedelta, timezone")]
    [InlineData("{{ modules.datetime.datetime.strptime('2024-13-01', '%Y-%m-%d') }}", "strptime(): time data '2024-13-01' does not match format '%Y-%m-%d'")]
    [InlineData("{{ modules.datetime.datetime.strptime('2024-01-01 extra', '%Y-%m-%d') }}", "strptime(): unconverted data remains:  extra")]
    [InlineData("{{ modules.datetime.date(2023, 2, 29) }}", "day 29 is out of range for month 2023-02")]
    [InlineData("{{ modules.datetime.datetime.utcnow() - modules.datetime.datetime.now(modules.pytz.utc) }}", "cannot subtract a datetime without a time zone and one with a time zone")]
    [InlineData("{{ modules.datetime.date.today().strftime('%Q') }}", "strftime(): unsupported directive '%Q'")]
    [InlineData("{{ modules.datetime.date(9999, 12, 31) + modules.datetime.timedelta(days=1) }}", "date value out of range")]
    [InlineData("{{ modules.pytz.timezone('Mars/Olympus') }}", "unknown time zone 'Mars/Olympus'")]
    [InlineData("{{ modules.re.match('(unclosed', 'x') }}", "match(): '(unclosed' is not a pattern Sluice can read")]
    [InlineData(@"{{ modules.re.sub('(a)', '\2', 'a') }}", "sub(): invalid group reference '2' in the replacement; the pattern has 1 group(s)")]
    public void Mistakes_are_template_errors_at_the_expression(string template, string message)
    {
        var error = Failure(template);

        Assert.Equal("models/m.sql", error.File);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }
}
