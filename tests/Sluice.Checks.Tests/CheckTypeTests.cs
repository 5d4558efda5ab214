using System.Globalization;
using System.Text.Json;

namespace Sluice.Checks.Tests;

/// <summary>
/// Every check type, passing and failing, on the quality project's seeds. Failing counts and
/// samples are compared with SQL the test runs on the seed tables.
/// </summary>
public abstract class CheckTypeTests<TProject>(TProject project) : IClassFixture<TProject>
    where TProject : QualityProject
{
    // order_id is checked unique and not null, so samples carry it as the rows' key.
    private const string KeyChecks = """
              - name: order_id
                tests: [unique, not_null]
        """;

    protected TProject Project { get; } = project;

    [Fact]
    public async Task Not_null_passes_on_a_full_column_and_fails_with_the_null_rows_as_sample()
    {
        var results = await RunModelChecksAsync("""
              - name: coupon
                tests: [not_null]
            """);
        Assert.Equal(CheckStatus.Pass, results["not_null_stg_orders_order_id"].Status);
        var failed = results["not_null_stg_orders_coupon"];
        Assert.Equal(CheckStatus.Fail, failed.Status);
        Assert.Equal(await Project.CountAsync("select count(*) from main.orders where coupon is null"), failed.FailingRows);
        Assert.Equal(await Project.CountAsync("select count(*) from main.orders"), failed.RowsInScope);
        Assert.Equal(await Project.LongsAsync("select order_id from main.orders where coupon is null order by order_id"), SampleKeys(failed));
    }

    [Fact]
    public async Task Unique_counts_every_row_of_a_duplicated_value()
    {
        var results = await RunModelChecksAsync("""
              - name: batch
                tests: [unique]
            """);
        Assert.Equal(CheckStatus.Pass, results["unique_stg_orders_order_id"].Status);
        var failed = results["unique_stg_orders_batch"];
        Assert.Equal(CheckStatus.Fail, failed.Status);
        var duplicated = "select order_id from main.orders where batch in (select batch from main.orders group by batch having count(*) > 1) order by order_id";
        Assert.Equal((await Project.LongsAsync(duplicated)).Count, failed.FailingRows);
        Assert.Equal(await Project.LongsAsync(duplicated), SampleKeys(failed));
        Assert.All(Sample(failed), row => Assert.Equal(2, row.GetProperty("_occurrences").GetInt64()));
    }

    [Fact]
    public async Task Accepted_values_fail_on_a_value_outside_the_list_and_pass_unquoted_numbers()
    {
        var results = await RunModelChecksAsync("""
              - name: status
                tests:
                  - accepted_values: {values: [placed, shipped, returned]}
                  - accepted_values: {values: [placed, shipped, returned, bogus], name: status_with_bogus}
              - name: customer_id
                tests:
                  - accepted_values: {values: [1, 2, 3, 4, 5, 99], quote: false}
            """);
        var failed = results["accepted_values_stg_orders_status"];
        Assert.Equal(CheckStatus.Fail, failed.Status);
        Assert.Equal(await Project.LongsAsync("select order_id from main.orders where status not in ('placed', 'shipped', 'returned') order by order_id"), SampleKeys(failed));
        Assert.Equal(CheckStatus.Pass, results["status_with_bogus"].Status);
        Assert.Equal(CheckStatus.Pass, results["accepted_values_stg_orders_customer_id"].Status);
    }

    [Fact]
    public async Task Relationships_fail_on_a_key_the_parent_lacks()
    {
        var results = await RunModelChecksAsync("""
              - name: customer_id
                tests:
                  - relationships: {to: ref('stg_customers'), field: customer_id}
                  - relationships: {to: "ref('stg_customers')", field: customer_id, where: "customer_id <> 99", name: known_customers}
            """);
        var failed = results["relationships_stg_orders_customer_id"];
        Assert.Equal(CheckStatus.Fail, failed.Status);
        var orphans = "select o.order_id from (select * from main.orders) o left join main.customers c on c.customer_id = o.customer_id where c.customer_id is null order by o.order_id";
        Assert.Equal(await Project.LongsAsync(orphans), SampleKeys(failed));
        Assert.Equal(CheckStatus.Pass, results["known_customers"].Status);
        Assert.Equal(await Project.CountAsync("select count(*) from main.orders where customer_id <> 99"), results["known_customers"].RowsInScope);
    }

    [Fact]
    public async Task Accepted_range_checks_numbers_inclusively_or_not_and_dates()
    {
        var results = await RunModelChecksAsync("""
              - name: amount
                tests:
                  - accepted_range: {min_value: 0, max_value: 100, name: amount_0_100}
                  - accepted_range: {min_value: -10, max_value: 100, name: amount_wide}
                  - accepted_range: {min_value: -10, max_value: 100, inclusive: false, name: amount_exclusive}
              - name: ordered_at
                tests:
                  - accepted_range: {min_value: '2025-01-01', max_value: '2025-01-10', name: dates_all}
                  - accepted_range: {max_value: '2025-01-08', name: dates_early}
            """);
        Assert.Equal(await Project.LongsAsync("select order_id from main.orders where amount < 0 or amount > 100 order by order_id"), SampleKeys(results["amount_0_100"]));
        Assert.Equal(CheckStatus.Pass, results["amount_wide"].Status);
        Assert.Equal(await Project.CountAsync("select count(*) from main.orders where amount <= -10 or amount >= 100"), results["amount_exclusive"].FailingRows);
        Assert.Equal(CheckStatus.Fail, results["amount_exclusive"].Status);
        Assert.Equal(CheckStatus.Pass, results["dates_all"].Status);
        Assert.Equal(await Project.LongsAsync("select order_id from main.orders where ordered_at > date '2025-01-08' order by order_id"), SampleKeys(results["dates_early"]));
    }

    [Fact]
    public async Task Expression_is_true_on_the_model_and_on_a_column()
    {
        var results = await RunModelChecksAsync("""
              - name: amount
                tests:
                  - expression_is_true: {expression: ">= -5"}
            """, modelTests: """
                tests:
                  - expression_is_true: {expression: "amount >= 0 and order_id > 0"}
            """);
        var failed = results["expression_is_true_stg_orders"];
        Assert.Equal(CheckStatus.Fail, failed.Status);
        Assert.Equal(await Project.LongsAsync("select order_id from main.orders where not (amount >= 0) order by order_id"), SampleKeys(failed));
        Assert.Equal(CheckStatus.Pass, results["expression_is_true_stg_orders_amount"].Status);
    }

    [Fact]
    public async Task Unique_combination_of_columns_fails_on_a_shared_pair()
    {
        var results = await RunModelChecksAsync(string.Empty, modelTests: """
                tests:
                  - unique_combination_of_columns: {combination_of_columns: [customer_id, ordered_at]}
                  - unique_combination_of_columns: {combination_of_columns: [order_id, status], name: id_and_status}
            """);
        var failed = results["unique_combination_of_columns_stg_orders"];
        Assert.Equal(CheckStatus.Fail, failed.Status);
        Assert.Equal(await DuplicatedAsync("customer_id, ordered_at"), SampleKeys(failed));
        Assert.Equal(CheckStatus.Pass, results["id_and_status"].Status);
    }

    // A combination containing a column checked unique is searched together with that column:
    // the counts must be those of searching each on its own, nulls in the combination included.
    [Fact]
    public async Task Combinations_searched_with_a_unique_column_count_their_own_duplicates()
    {
        var results = await RunModelChecksAsync("""
              - name: coupon
                tests: [unique]
              - name: customer_id
                tests: [unique]
            """, modelTests: """
                tests:
                  - unique_combination_of_columns: {combination_of_columns: [coupon, customer_id], name: coupon_and_customer}
                  - unique_combination_of_columns: {combination_of_columns: [customer_id, ordered_at], name: customer_and_day}
            """);
        foreach (var (name, columns, skipNulls) in new[]
        {
            ("unique_stg_orders_coupon", "coupon", true),
            ("unique_stg_orders_customer_id", "customer_id", false),
            ("coupon_and_customer", "coupon, customer_id", false),
            ("customer_and_day", "customer_id, ordered_at", false),
        })
        {
            var expected = await DuplicatedAsync(columns, skipNulls);
            Assert.NotEmpty(expected);
            Assert.Equal(CheckStatus.Fail, results[name].Status);
            Assert.Equal(expected.Count, results[name].FailingRows);
            Assert.Equal(expected, SampleKeys(results[name]));
        }

        // Two rows share a null coupon and a customer: the combination counts them, unique does not.
        Assert.Contains(3L, SampleKeys(results["coupon_and_customer"]));
        Assert.DoesNotContain(3L, SampleKeys(results["unique_stg_orders_coupon"]));
    }

    [Fact]
    public async Task Not_empty_fails_when_the_filter_leaves_no_rows()
    {
        var results = await RunModelChecksAsync(string.Empty, modelTests: """
                tests:
                  - not_empty
                  - not_empty: {where: "1 = 0", name: nothing_left}
            """);
        Assert.Equal(CheckStatus.Pass, results["not_empty_stg_orders"].Status);
        Assert.Equal(await Project.CountAsync("select count(*) from main.orders"), results["not_empty_stg_orders"].RowsInScope);
        Assert.Equal(CheckStatus.Fail, results["nothing_left"].Status);
        Assert.Equal(0, results["nothing_left"].RowsInScope);
    }

    [Fact]
    public async Task Row_count_checks_bounds_and_another_relations_count()
    {
        var rows = await Project.CountAsync("select count(*) from main.orders");
        var results = await RunModelChecksAsync(string.Empty, modelTests: $$"""
                tests:
                  - row_count: {min: {{rows}}, max: {{rows}}, name: exact_bounds}
                  - row_count: {min: {{rows + 1}}, name: too_few}
                  - row_count: {max: {{rows - 1}}, name: too_many}
                  - row_count: {equal_to: ref('orders'), name: same_as_seed}
                  - row_count: {equal_to: ref('stg_customers'), name: same_as_customers}
            """);
        Assert.Equal(CheckStatus.Pass, results["exact_bounds"].Status);
        Assert.Equal(CheckStatus.Fail, results["too_few"].Status);
        Assert.Equal(CheckStatus.Fail, results["too_many"].Status);
        Assert.Equal(CheckStatus.Pass, results["same_as_seed"].Status);
        Assert.Equal(CheckStatus.Fail, results["same_as_customers"].Status);
        Assert.Contains($"has {await Project.CountAsync("select count(*) from main.customers")}", results["same_as_customers"].Message);
    }

    [Fact]
    public async Task Freshness_passes_warns_and_fails_by_the_age_of_the_newest_row()
    {
        // The newest updated_at is 2025-01-10 18:00; the clock says 2025-01-11 00:00: 6 hours.
        var results = await RunModelChecksAsync("""
              - name: updated_at
                tests:
                  - freshness: {warn_after: 12h, error_after: 1d, name: fresh}
                  - freshness: {warn_after: 1h, error_after: 1d, name: stale_warn}
                  - freshness: {error_after: {count: 2, period: hour}, name: stale_error}
                  - freshness: {error_after: 2h, severity: warn, name: stale_but_warn}
            """);
        Assert.Equal(CheckStatus.Pass, results["fresh"].Status);
        Assert.Equal(CheckStatus.Warn, results["stale_warn"].Status);
        Assert.Equal(CheckStatus.Fail, results["stale_error"].Status);
        Assert.Contains("6h 0m old", results["stale_error"].Message);
        Assert.Equal(CheckStatus.Warn, results["stale_but_warn"].Status);
        Assert.Equal("2025-01-10 18:00:00Z", Sample(results["fresh"])[0].GetProperty("latest").GetString());
    }

    [Fact]
    public async Task Regex_fails_on_a_value_that_does_not_match()
    {
        var results = await RunModelChecksAsync("""
              - name: email
                tests:
                  - regex: {pattern: '^[^@]+@[^@]+\.[a-z]+$'}
                  - regex: {pattern: '@', where: "order_id <> 7", name: email_has_at}
            """);
        var failed = results["regex_stg_orders_email"];
        Assert.Equal(CheckStatus.Fail, failed.Status);
        Assert.Equal(await Project.LongsAsync("select order_id from main.orders where email not like '%@%.%' order by order_id"), SampleKeys(failed));
        Assert.Equal(CheckStatus.Pass, results["email_has_at"].Status);
    }

    [Fact]
    public async Task Parity_reads_the_latest_parity_check_of_the_source_table()
    {
        Project.WriteChecks("""
            version: 2
            sources:
              - name: app
                schema: main
                tables:
                  - name: orders
                    tests:
                      - parity
                      - parity: {max_mismatch_ratio: 0.5, name: parity_lenient}
            """);
        await Warehouses.Metadata.MetadataSchema.MigrateAsync(Project.Session);
        await Project.Session.ExecuteAsync("delete from _sluice.parity_checks where source = 'app'");
        var missing = await Project.RunChecksAsync();
        Assert.Equal(CheckStatus.Error, missing["source_parity_app_orders"].Status);
        Assert.Contains("no parity results", missing["source_parity_app_orders"].Message);

        await InsertParityAsync("2025-01-09 00:00:00", (null, 10, 10), ("2025-01-01", 4, 4), ("2025-01-02", 3, 3), ("2025-01-03", 3, 3));
        await InsertParityAsync("2025-01-10 00:00:00", (null, 10, 9), ("2025-01-01", 4, 4), ("2025-01-02", 3, 2), ("2025-01-03", 3, 3));
        var results = await Project.RunChecksAsync();
        var failed = results["source_parity_app_orders"];
        Assert.Equal(CheckStatus.Fail, failed.Status);
        Assert.Equal((1L, 3L), (failed.FailingRows!.Value, failed.RowsInScope!.Value));
        Assert.Equal("2025-01-02", Sample(failed).Single().GetProperty("day").GetString());
        Assert.Equal(CheckStatus.Pass, results["parity_lenient"].Status);

        await InsertParityAsync("2025-01-11 00:00:00", (null, 10, 10), ("2025-01-01", 4, 4), ("2025-01-02", 3, 3), ("2025-01-03", 3, 3));
        Assert.Equal(CheckStatus.Pass, (await Project.RunChecksAsync())["source_parity_app_orders"].Status);
    }

    [Fact]
    public async Task Singular_checks_fail_on_any_row_their_sql_returns()
    {
        Project.WriteChecks(null);
        Project.WriteFile("tests/assert_no_negative_amounts.sql", "select order_id, amount from {{ ref('stg_orders') }} where amount < 0;\n");
        Project.WriteFile("tests/assert_no_huge_amounts.sql", "{{ config(severity='warn') }}\nselect order_id from {{ ref('stg_orders') }} where amount > 1000\n");
        try
        {
            var results = await Project.RunChecksAsync();
            var failed = results["assert_no_negative_amounts"];
            Assert.Equal(CheckStatus.Fail, failed.Status);
            Assert.Equal(await Project.CountAsync("select count(*) from main.orders where amount < 0"), failed.FailingRows);
            Assert.Equal(await Project.LongsAsync("select order_id from main.orders where amount < 0"), SampleKeys(failed));
            Assert.Null(failed.RowsInScope);
            Assert.Equal(CheckStatus.Pass, results["assert_no_huge_amounts"].Status);
            Assert.Equal(Core.Checks.CheckSeverity.Warn, results["assert_no_huge_amounts"].Check.Severity);
        }
        finally
        {
            Project.WriteFile("tests/assert_no_negative_amounts.sql", null);
            Project.WriteFile("tests/assert_no_huge_amounts.sql", null);
        }
    }

    [Theory]
    [InlineData(0.79, CheckStatus.Pass)]
    [InlineData(0.8, CheckStatus.Pass)]
    [InlineData(0.81, CheckStatus.Fail)]
    [InlineData(0.8000001, CheckStatus.Fail)]
    [InlineData(0.7999999, CheckStatus.Pass)]
    public async Task Mostly_passes_at_its_threshold_and_fails_just_above_it(double mostly, CheckStatus expected)
    {
        // Two of the ten coupons are null: exactly 80% of the rows pass.
        Assert.Equal(0.8, 1 - (await Project.CountAsync("select count(*) from main.orders where coupon is null") / 10.0), 6);
        var results = await RunModelChecksAsync($$"""
              - name: coupon
                tests:
                  - not_null: {mostly: {{mostly.ToString(System.Globalization.CultureInfo.InvariantCulture)}}}
            """);
        var result = results["not_null_stg_orders_coupon"];
        Assert.Equal(expected, result.Status);
        Assert.Equal(2, result.FailingRows);
        Assert.Equal(0.2, result.FailingRatio!.Value, 6);
    }

    [Fact]
    public async Task Severity_warn_turns_a_failure_into_a_warning_that_blocks_nothing()
    {
        var results = await RunModelChecksAsync("""
              - name: coupon
                tests:
                  - not_null: {config: {severity: warn}}
            """);
        Assert.Equal(CheckStatus.Warn, results["not_null_stg_orders_coupon"].Status);
        Assert.False(results["not_null_stg_orders_coupon"].IsBlocking);
    }

    [Fact]
    public async Task Results_and_stored_failures_are_kept_in_the_warehouse()
    {
        var results = await RunModelChecksAsync("""
              - name: coupon
                tests:
                  - not_null: {store_failures: true}
            """);
        var result = results["not_null_stg_orders_coupon"];
        var audit = new CheckRunner(Project.Parse(), Project.Warehouse).AuditSchema;
        Assert.Equal(result.FailingRows, await Project.CountAsync($"select count(*) from \"{audit}\".not_null_stg_orders_coupon"));
        var stored = await Project.CountAsync(
            $"select count(*) from _sluice.check_results where check_name = 'not_null_stg_orders_coupon' and status = 'fail' and failing_rows = 2 and rows_in_scope = 10 and model = 'stg_orders' and column_name = 'coupon' and sample like '%\"order_id\":3%'");
        Assert.True(stored >= 1);
    }

    [Fact]
    public async Task Stored_failures_of_a_unique_check_keep_every_duplicated_row_with_its_count()
    {
        var results = await RunModelChecksAsync("""
              - name: batch
                tests:
                  - unique: {store_failures: true}
            """);
        var expected = await DuplicatedAsync("batch", skipNulls: true);
        Assert.NotEmpty(expected);
        Assert.Equal(expected.Count, results["unique_stg_orders_batch"].FailingRows);
        var audit = new CheckRunner(Project.Parse(), Project.Warehouse).AuditSchema;
        Assert.Equal(expected, await Project.LongsAsync($"select order_id from \"{audit}\".unique_stg_orders_batch order by order_id"));
        Assert.Equal(expected.Count, await Project.CountAsync($"select count(*) from \"{audit}\".unique_stg_orders_batch where _occurrences = 2"));
    }

    [Fact]
    public async Task A_check_whose_sql_fails_is_an_error_of_that_check_only()
    {
        var results = await RunModelChecksAsync("""
              - name: coupon
                tests:
                  - not_null: {where: "no_such_column > 1"}
                  - accepted_values: {values: [WELCOME, SPRING]}
            """);
        Assert.Equal(CheckStatus.Error, results["not_null_stg_orders_coupon"].Status);
        Assert.Contains("models/checks.yml:", results["not_null_stg_orders_coupon"].Message);
        Assert.Equal(CheckStatus.Pass, results["accepted_values_stg_orders_coupon"].Status);
        Assert.Equal(CheckStatus.Pass, results["unique_stg_orders_order_id"].Status);
    }

    private async Task<Dictionary<string, CheckResult>> RunModelChecksAsync(string columns, string modelTests = "")
    {
        Project.WriteChecks($"""
            version: 2
            models:
              - name: stg_orders
            {modelTests}
                columns:
            {KeyChecks}
            {Indent(columns, 4)}
            """);
        return await Project.RunChecksAsync();
    }

    private async Task InsertParityAsync(string checkedAt, params (string? Day, long Source, long Warehouse)[] rows)
    {
        foreach (var (day, source, warehouse) in rows)
        {
            var mismatches = Math.Abs(source - warehouse);
            await Project.Session.ExecuteAsync(
                "insert into _sluice.parity_checks (checked_at, source, table_name, day, source_count, warehouse_count, mismatches, mismatch_ratio) values ($1, 'app', 'orders', $2, $3, $4, $5, $6)",
                [
                    new DateTimeOffset(DateTime.Parse(checkedAt, System.Globalization.CultureInfo.InvariantCulture), TimeSpan.Zero),
                    day is null ? null : DateOnly.Parse(day, System.Globalization.CultureInfo.InvariantCulture),
                    source, warehouse, mismatches, (double)mismatches / source,
                ]);
        }
    }

    // The order_ids of the seed's rows that share their values of columns with another row
    // (nulls equal to nulls, or rows with a null left out), counted here rather than in SQL,
    // whose window functions and correlated subqueries not every engine has.
    private async Task<List<long>> DuplicatedAsync(string columns, bool skipNulls = false)
    {
        var rows = new List<(long Id, string Key)>();
        await using (var reader = await Project.Session.QueryAsync($"select order_id, {columns} from main.orders"))
        {
            while (await reader.ReadAsync())
            {
                var values = Enumerable.Range(1, reader.FieldCount - 1)
                    .Select(i => reader.IsDBNull(i) ? null : Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture))
                    .ToList();
                if (!skipNulls || values.All(v => v is not null))
                {
                    rows.Add((Convert.ToInt64(reader.GetValue(0), CultureInfo.InvariantCulture), string.Join('\u0001', values.Select(v => v is null ? "\u0000" : "=" + v))));
                }
            }
        }

        return [.. rows.GroupBy(r => r.Key, StringComparer.Ordinal).Where(g => g.Count() > 1).SelectMany(g => g).Select(r => r.Id).Order()];
    }

    private static string Indent(string text, int spaces) =>
        string.Join('\n', text.Split('\n').Select(line => line.Length == 0 ? line : new string(' ', spaces) + line));

    private static List<JsonElement> Sample(CheckResult result) =>
        [.. JsonDocument.Parse(result.Sample ?? "[]").RootElement.EnumerateArray()];

    private static List<long> SampleKeys(CheckResult result) =>
        [.. Sample(result).Select(row => row.GetProperty("order_id").GetInt64())];
}

public sealed class DuckDbCheckTypeTests(DuckDbQualityProject project) : CheckTypeTests<DuckDbQualityProject>(project);

public sealed class PostgresCheckTypeTests(PostgresQualityProject project) : CheckTypeTests<PostgresQualityProject>(project);

public sealed class ClickHouseCheckTypeTests(ClickHouseQualityProject project) : CheckTypeTests<ClickHouseQualityProject>(project);

public sealed class ClickHouseClusterCheckTypeTests(ClickHouseClusterQualityProject project) : CheckTypeTests<ClickHouseClusterQualityProject>(project);
