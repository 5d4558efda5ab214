using System.Security.Cryptography;
using System.Text;
using Sluice.Models.Compile;
using Sluice.Testing;

namespace Sluice.Models.Tests;

/// <summary>
/// The macro_shop project: project macros dispatched per warehouse, a generate_schema_name
/// override, a dispatch search order that replaces a dbt_utils macro, dbt_utils calls that read
/// the warehouse while rendering, dbt_date calls, and an installed package with a macro and a
/// model. Each table is compared with SQL the test runs on the seed tables.
/// </summary>
public abstract class MacroProjectTests : ShopProjectTestBase
{
    protected override string TemplateName => "macro_shop";

    [Fact]
    public async Task The_project_builds_and_every_table_equals_sql_computed_from_the_seeds()
    {
        var results = await BuildAsync();
        AssertAllSucceeded(results);

        // The override uses custom schemas as written; the installed package's model goes where
        // the root project's config for the package puts it; the Jinja-disabled folder is absent.
        Assert.Equal(
            ["helper_countries:helpers", "all_orders:marts", "customer_orders:marts", "daily_orders:marts", "latest_order:marts", "order_calendar:marts", "order_fields:marts", "renamed_customers:marts", "stg_customers:main", "stg_orders:main", "warehouse_facts:marts"],
            await RowsAsync("""
                select table_name || ':' || table_schema from information_schema.tables
                where table_schema in ('main', 'marts', 'helpers') and table_name not like '%__sluice%'
                order by table_schema <> 'helpers', table_name
                """));
        Assert.DoesNotContain(results, r => r.Name == "extra_orders");
        Assert.Equal(
            await RowsAsync("select id, upper(substr(first_name, 1, 1) || substr(last_name, 1, 1)) from raw.customers order by id"),
            await RowsAsync("select id, initials from snapshots.customers_snapshot order by id"));

        // Surrogate keys are md5 of the fields joined with '-', nulls spelled as dbt_utils spells them.
        var keys = await RowsAsync("select order_id, order_key from main.stg_orders order by order_id");
        var seedRows = await RowsAsync("select id, coalesce(cast(customer_id as varchar), 'NULL') from raw.orders order by id");
        Assert.Equal(
            seedRows.Select(r => r.Split('|')).Select(r => $"{r[0]}|{Md5($"{r[0]}-{(r[1] == "NULL" ? "_dbt_utils_surrogate_key_null_" : r[1])}")}"),
            keys);

        Assert.Equal(
            await RowsAsync("""
                select id, round(amount_cents / 100.0, 2), status, cast(ordered_at as date),
                    case when status in ('paid', 'shipped') then 'open' when status = 'refunded' then 'closed' else 'other' end
                from raw.orders order by id
                """),
            await RowsAsync("select order_id, amount, status, order_day, state from main.stg_orders order by order_id"));

        Assert.Equal(
            await RowsAsync("""
                select c.id, c.first_name, c.last_name, c.first_name || ' ' || c.last_name, upper(c.country),
                    count(o.id), coalesce(sum(o.amount_cents), 0),
                    coalesce(sum(o.amount_cents) / nullif(count(o.id), 0), 0),
                    count(*) filter (where o.status = 'paid'), count(*) filter (where o.status = 'pending'),
                    count(*) filter (where o.status = 'refunded'), count(*) filter (where o.status = 'shipped')
                from raw.customers c left join raw.orders o on o.customer_id = c.id
                group by 1, 2, 3, 4, 5 order by 1
                """),
            await RowsAsync("""
                select customer_id, first_name, last_name, full_name, country, order_count, total_cents, avg_cents,
                    n_paid, n_pending, n_refunded, n_shipped
                from marts.customer_orders order by customer_id
                """));

        Assert.Equal(
            await RowsAsync("""
                select d.day, count(o.id), coalesce(sum(o.amount_cents), 0)
                from (select cast('2025-01-01' as date) + cast(i as integer) as day from generate_series(0, 6) as g(i)) d
                left join raw.orders o on cast(o.ordered_at as date) = d.day
                group by d.day order by d.day
                """),
            await RowsAsync("select day, orders, amount_cents from marts.daily_orders order by day"));
        Assert.Equal(["daily_orders"], await RowsAsync("select distinct built_model from marts.daily_orders"));

        // dbt_date's calendar: days of the week counted here in C#, orders in SQL on the seed.
        var week = Enumerable.Range(0, 7).Select(i => new DateOnly(2025, 1, 1).AddDays(i)).ToList();
        var orderCounts = await RowsAsync("""
            select d.day, count(o.id)
            from (select cast('2025-01-01' as date) + cast(i as integer) as day from generate_series(0, 6) as g(i)) d
            left join raw.orders o on cast(o.ordered_at as date) = d.day
            group by d.day order by d.day
            """);
        Assert.Equal(
            week.Select((day, i) => $"{day:yyyy-MM-dd}|{(int)day.DayOfWeek switch { 0 => 7, var n => n }}|{day.DayOfWeek}|{orderCounts[i].Split('|')[1]}"),
            await RowsAsync("select day, iso_day_of_week, day_name, orders from marts.order_calendar order by day"));

        Assert.Equal(
            await RowsAsync("""
                select id, customer_id, amount_cents, status, null as channel from raw.orders
                union all select id, customer_id, amount_cents, null, channel from raw.legacy_orders
                order by 1
                """),
            await RowsAsync("select id, customer_id, amount_cents, status, channel from marts.all_orders order by id"));
        Assert.Equal(
            ["\"raw\".\"legacy_orders\"|2", "\"raw\".\"orders\"|8"],
            await RowsAsync("select _dbt_source_relation, count(*) from marts.all_orders group by 1 order by 1"));

        Assert.Equal(
            await RowsAsync("""
                select id, 'amount_cents', cast(amount_cents as varchar) from raw.legacy_orders
                union all select id, 'channel', channel from raw.legacy_orders
                union all select id, 'customer_id', cast(customer_id as varchar) from raw.legacy_orders
                order by 1, 2
                """),
            await RowsAsync("select id, field, value from marts.order_fields order by 1, 2"));

        Assert.Equal(
            await RowsAsync("""
                select o.customer_id, o.id from raw.orders o
                where not exists (
                    select 1 from raw.orders later
                    where later.customer_id is not distinct from o.customer_id
                      and (later.ordered_at > o.ordered_at or (later.ordered_at = o.ordered_at and later.id > o.id)))
                order by 1
                """),
            await RowsAsync("select customer_id, order_id from marts.latest_order order by 1"));

        Assert.Equal(
            ["c_customer_id", "c_first_name", "c_last_name", "display_name", "c_initials", "c_country"],
            await RowsAsync("select column_name from information_schema.columns where table_schema = 'marts' and table_name = 'renamed_customers' order by ordinal_position"));
        Assert.Equal(
            await RowsAsync("select distinct upper(country) from raw.customers order by 1"),
            await RowsAsync("select country from helpers.helper_countries order by 1"));
        Assert.Equal(
            await RowsAsync("select id, upper(substr(first_name, 1, 1) || substr(last_name, 1, 1)) from raw.customers order by id"),
            await RowsAsync("select customer_id, initials from main.stg_customers order by customer_id"));
    }

    [Fact]
    public async Task Statements_run_query_and_the_adapter_read_the_warehouse_while_a_model_renders()
    {
        AssertAllSucceeded(await BuildAsync());

        Assert.Equal(
            string.Join("|", [.. await RowsAsync("select count(*), cast(sum(amount_cents) as bigint) from raw.orders where status = 'paid'"), .. await RowsAsync("select count(*) from raw.customers")]) + "|id,customer_id,amount_cents,channel|UTC|b2|legacy_orders,orders",
            Assert.Single(await RowsAsync("select paid_orders, paid_cents, customers, legacy_columns, zone, second_pair, raw_tables from marts.warehouse_facts")));
    }

    [Fact]
    public async Task A_var_enables_the_folder_whose_config_is_jinja()
    {
        var results = await BuildAsync(vars: new Dictionary<string, object?> { ["load_extra"] = true });

        AssertAllSucceeded(results);
        Assert.Contains(results, r => r.Name == "extra_orders");
        Assert.Equal(await CountAsync("select count(*) from raw.orders"), await CountAsync("select count(*) from main.extra_orders"));
    }

    [Fact]
    public async Task Rendering_a_model_twice_gives_the_same_sql()
    {
        AssertAllSucceeded(await BuildAsync());
        var project = Parse();
        var compiler = new ModelCompiler(project);
        var facts = RenderFacts.Default(DateTimeOffset.Parse("2025-02-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture), "run") with
        {
            Warehouse = new SessionTemplateWarehouse(Session),
        };

        foreach (var name in new[] { "customer_orders", "daily_orders", "all_orders", "stg_orders" })
        {
            var model = project.Nodes[name];
            var first = compiler.Compile(model, facts).Sql;
            Assert.Equal(first, compiler.Compile(model, facts).Sql);
            Assert.DoesNotContain("{{", first, StringComparison.Ordinal);
        }

        // The columns dbt_utils.star lists come from the warehouse: the excepted ones are left out.
        var star = compiler.Compile(project.Nodes["customer_orders"], facts).Sql;
        Assert.Contains("c.\"full_name\"", star, StringComparison.Ordinal);
        Assert.DoesNotContain("c.\"email\"", star, StringComparison.Ordinal);
    }

    [Fact]
    public void Keys_dbt_accepts_are_read_and_the_ones_that_change_nothing_are_noted()
    {
        var project = Parse();

        Assert.Contains(project.Settings.IgnoredKeys, k => k.EndsWith(": dbt-cloud", StringComparison.Ordinal));
        Assert.Contains(project.Settings.IgnoredKeys, k => k.EndsWith(": flags", StringComparison.Ordinal));
        Assert.Equal(["macro_shop", "dbt_utils"], project.Settings.Dispatch["dbt_utils"]);
        Assert.Equal(["shop_helpers"], project.Packages.Installed.Select(p => p.Name));
        Assert.Equal(["dbt_utils", "dbt_date"], project.Packages.BuiltIn);
        Assert.Equal("shop_helpers", project.Nodes["helper_countries"].Package);
    }

    private static string Md5(string text) => Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(text)));
}

public sealed class DuckDbMacroProjectTests : MacroProjectTests
{
    protected override Task<string?> ProfilesAsync() => Task.FromResult<string?>(null);
}

public sealed class PostgresMacroProjectTests : MacroProjectTests
{
    protected override async Task<string?> ProfilesAsync()
    {
        var server = await PostgresServer.GetAsync();
        return await server.DbtProfilesAsync("macro_shop");
    }
}
