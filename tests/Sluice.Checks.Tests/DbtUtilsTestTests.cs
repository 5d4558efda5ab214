using System.Text.Json;

namespace Sluice.Checks.Tests;

/// <summary>
/// Sluice's built-in dbt_utils tests, each on data where it passes and data where it fails: the
/// failing count is compared with SQL the test runs on the seeds itself (or, for ranges, with
/// the rows worked out by hand beside the seed).
/// </summary>
public abstract class DbtUtilsTestTests<TProject>(TProject project) : IClassFixture<TProject>
    where TProject : QualityProject
{
    protected TProject Project { get; } = project;

    [Fact]
    public async Task Row_counts_and_equality_compare_two_relations()
    {
        var results = await RunAsync("""
            models:
              - name: stg_orders
                tests:
                  - dbt_utils.equal_rowcount: {compare_model: ref('orders'), name: rowcount_same}
                  - dbt_utils.equal_rowcount: {compare_model: ref('customers'), name: rowcount_differs}
                  - dbt_utils.equal_rowcount: {compare_model: ref('orders'), group_by_columns: [customer_id], name: rowcount_same_by_customer}
                  - dbt_utils.equal_rowcount: {compare_model: ref('orders'), group_by_columns: [customer_id], where: "status <> 'placed'", name: rowcount_by_customer_filtered}
                  - dbt_utils.fewer_rows_than: {compare_model: ref('customers'), name: fewer_fails}
              - name: stg_customers
                tests:
                  - dbt_utils.fewer_rows_than: {compare_model: ref('orders'), name: fewer_passes}
                  - dbt_utils.equality: {compare_model: ref('customers'), name: equal_to_seed}
                  - dbt_utils.equality: {compare_model: ref('customers_changed'), name: unequal}
                  - dbt_utils.equality: {compare_model: ref('customers_changed'), compare_columns: [customer_id, country], name: unequal_on_columns}
                  - dbt_utils.equality: {compare_model: ref('customers_changed'), exclude_columns: [name], where: "customer_id < 6", name: unequal_without_name}
              - name: amounts
                tests:
                  - dbt_utils.equality: {compare_model: ref('amounts_close'), name: amounts_exact}
                  - dbt_utils.equality: {compare_model: ref('amounts_close'), precision: 2, name: amounts_to_the_cent}
            """);
        Expect(results, "rowcount_same", 0);
        Expect(results, "rowcount_differs", 1);
        Expect(results, "rowcount_same_by_customer", 0);
        // Customers with placed orders have fewer rows once they are filtered out.
        Expect(results, "rowcount_by_customer_filtered", await Project.CountAsync("select count(distinct customer_id) from main.orders where status = 'placed'"));
        Expect(results, "fewer_fails", 1);
        Expect(results, "fewer_passes", 0);
        Expect(results, "equal_to_seed", 0);
        Expect(results, "unequal", await Project.CountAsync(Both("select * from main.customers", "select * from main.customers_changed")));
        Expect(results, "unequal_on_columns", await Project.CountAsync(Both("select customer_id, country from main.customers", "select customer_id, country from main.customers_changed")));
        Expect(results, "unequal_without_name", await Project.CountAsync(Both("select customer_id, country from main.customers", "select customer_id, country from main.customers_changed")));
        Expect(results, "amounts_exact", 2 * await Project.CountAsync("select count(*) from main.orders"));
        Expect(results, "amounts_to_the_cent", 0);
    }

    [Fact]
    public async Task Column_tests_count_their_failing_rows()
    {
        var results = await RunAsync("""
            models:
              - name: stg_orders
                columns:
                  - name: coupon
                    tests:
                      - dbt_utils.at_least_one: {name: coupon_at_least_one}
                      - dbt_utils.at_least_one: {group_by_columns: [customer_id], name: coupon_per_customer}
                      - dbt_utils.not_null_proportion: {at_least: 0.5, name: coupon_half}
                      - dbt_utils.not_null_proportion: {at_least: 0.9, name: coupon_most}
                      - dbt_utils.not_null_proportion: {at_least: 0.5, at_most: 0.7, group_by_columns: [customer_id], name: coupon_share_by_customer}
                  - name: nothing
                    tests:
                      - dbt_utils.at_least_one: {name: nothing_at_least_one}
                  - name: amount
                    tests:
                      - dbt_utils.not_constant: {name: amount_not_constant}
                  - name: constant
                    tests:
                      - dbt_utils.not_constant: {name: constant_not_constant}
                  - name: email
                    tests:
                      - dbt_utils.not_empty_string: {name: email_not_empty}
                  - name: note
                    tests:
                      - dbt_utils.not_empty_string: {name: note_not_blank}
                      - dbt_utils.not_empty_string: {trim_whitespace: false, name: note_not_empty}
                  - name: status
                    tests:
                      - dbt_utils.not_accepted_values: {values: [cancelled, lost], name: status_not_cancelled}
                      - dbt_utils.not_accepted_values: {values: [bogus, returned], name: status_not_bogus}
                  - name: customer_id
                    tests:
                      - dbt_utils.not_accepted_values: {values: [99], quote: false, name: customer_not_99}
                      - dbt_utils.relationships_where: {to: ref('customers'), field: customer_id, name: customer_known}
                      - dbt_utils.relationships_where: {to: ref('customers'), field: customer_id, from_condition: "customer_id <> 99", name: customer_known_but_99}
                      - dbt_utils.relationships_where: {to: ref('customers'), field: customer_id, from_condition: "customer_id <> 99", to_condition: "country = 'US'", name: customer_in_us}
                      - dbt_utils.cardinality_equality: {to: ref('orders'), field: customer_id, name: same_cardinality}
                      - dbt_utils.cardinality_equality: {to: ref('customers'), field: customer_id, name: other_cardinality}
            """);
        Expect(results, "coupon_at_least_one", 0);
        Expect(results, "coupon_per_customer", await Project.CountAsync("select count(*) from (select customer_id from main.orders group by customer_id having count(coupon) = 0) as c"));
        Expect(results, "nothing_at_least_one", 1);
        Assert.Equal(0.8, 1 - (await Project.CountAsync("select count(*) from main.orders where coupon is null") / 10.0), 6);
        Expect(results, "coupon_half", 0);
        Expect(results, "coupon_most", 1);
        Expect(results, "coupon_share_by_customer", await Project.CountAsync(
            "select count(*) from (select customer_id, count(coupon) * 1.0 / count(*) as share from main.orders group by customer_id) as c where share < 0.5 or share > 0.7"));
        Expect(results, "amount_not_constant", 0);
        Expect(results, "constant_not_constant", 1);
        Expect(results, "email_not_empty", 0);
        Expect(results, "note_not_blank", await Project.CountAsync("select count(*) from main.stg_orders where trim(note) = ''"));
        Expect(results, "note_not_empty", await Project.CountAsync("select count(*) from main.stg_orders where note = ''"));
        Assert.NotEqual(results["note_not_blank"].FailingRows, results["note_not_empty"].FailingRows);
        Expect(results, "status_not_cancelled", 0);
        Expect(results, "status_not_bogus", await Project.CountAsync("select count(*) from main.orders where status in ('bogus', 'returned')"));
        Expect(results, "customer_not_99", await Project.CountAsync("select count(*) from main.orders where customer_id = 99"));
        Expect(results, "customer_known", await Project.CountAsync("select count(*) from main.orders where customer_id not in (select customer_id from main.customers)"));
        Expect(results, "customer_known_but_99", 0);
        Expect(results, "customer_in_us", await Project.CountAsync(
            "select count(*) from main.orders where customer_id <> 99 and customer_id not in (select customer_id from main.customers where country = 'US')"));
        Expect(results, "same_cardinality", 0);
        Expect(results, "other_cardinality", await Project.CountAsync(Both(
            "select customer_id, count(*) from main.orders group by customer_id",
            "select customer_id, count(*) from main.customers group by customer_id")));
    }

    [Fact]
    public async Task Recency_and_sequences_follow_time_and_order()
    {
        var results = await RunAsync("""
            models:
              - name: stg_orders
                tests:
                  - dbt_utils.recency: {datepart: day, field: updated_at, interval: 36500, name: recent_within_a_century}
                  - dbt_utils.recency: {datepart: day, field: updated_at, interval: 1, name: recent_within_a_day}
                  - dbt_utils.recency: {datepart: day, field: ordered_at, interval: 36500, ignore_time_component: true, name: recent_days}
                  - dbt_utils.recency: {datepart: hour, field: updated_at, interval: 1, group_by_columns: [customer_id], name: recent_by_customer}
                columns:
                  - name: order_id
                    tests:
                      - dbt_utils.sequential_values: {name: ids_sequential}
                      - dbt_utils.sequential_values: {interval: 2, name: ids_by_two}
                  - name: ordered_at
                    tests:
                      - dbt_utils.sequential_values: {datepart: day, where: "order_id < 10", name: order_days_sequential}
            seeds:
              - name: days
                columns:
                  - name: day
                    tests:
                      - dbt_utils.sequential_values: {datepart: day, name: days_sequential}
            """);
        Expect(results, "recent_within_a_century", 0);
        Expect(results, "recent_within_a_day", 1);
        Expect(results, "recent_days", 0);
        Expect(results, "recent_by_customer", await Project.CountAsync("select count(distinct customer_id) from main.orders"));
        Expect(results, "ids_sequential", 0);
        Expect(results, "ids_by_two", await Project.CountAsync("select count(*) - 1 from main.orders"));
        Expect(results, "order_days_sequential", 0);
        Expect(results, "days_sequential", await Project.CountAsync(
            "select count(*) from main.days as d where d.day > (select min(day) from main.days) and not exists (select 1 from main.days as e where e.day = d.day - 1)"));
    }

    [Fact]
    public async Task Mutually_exclusive_ranges_apply_the_gap_rules()
    {
        // Per customer, ordered by lower bound (see seeds/ranges.csv):
        //   1: [0,1] [1,2] [2,3]  ranges that touch
        //   2: [0,1] [3,4]        a gap
        //   3: [0,5] [2,6]        an overlap: range 6 fails under every rule
        //   4: [5,5]              zero length: range 8 fails unless allowed
        var results = await RunAsync("""
            seeds:
              - name: ranges
                tests:
                  - dbt_utils.mutually_exclusive_ranges: {lower_bound_column: lower_bound, upper_bound_column: upper_bound, partition_by: customer_id, name: gaps_allowed}
                  - dbt_utils.mutually_exclusive_ranges: {lower_bound_column: lower_bound, upper_bound_column: upper_bound, partition_by: customer_id, gaps: not_allowed, name: gaps_not_allowed}
                  - dbt_utils.mutually_exclusive_ranges: {lower_bound_column: lower_bound, upper_bound_column: upper_bound, partition_by: customer_id, gaps: required, name: gaps_required}
                  - dbt_utils.mutually_exclusive_ranges: {lower_bound_column: lower_bound, upper_bound_column: upper_bound, partition_by: customer_id, zero_length_range_allowed: true, name: zero_length_allowed}
                  - dbt_utils.mutually_exclusive_ranges: {lower_bound_column: lower_bound, upper_bound_column: upper_bound, partition_by: customer_id, where: "customer_id in (1, 2)", name: without_bad_customers}
            """);
        Assert.Equal([6L, 8L], RangeIds(results["gaps_allowed"]));
        Assert.Equal([4L, 6L, 8L], RangeIds(results["gaps_not_allowed"]));
        Assert.Equal([1L, 2L, 6L, 8L], RangeIds(results["gaps_required"]));
        Assert.Equal([6L], RangeIds(results["zero_length_allowed"]));
        Expect(results, "gaps_required", 4);
        Expect(results, "without_bad_customers", 0);
    }

    [Fact]
    public async Task A_bad_gaps_value_is_an_error_of_the_check()
    {
        var results = await RunAsync("""
            seeds:
              - name: ranges
                tests:
                  - dbt_utils.mutually_exclusive_ranges: {lower_bound_column: lower_bound, upper_bound_column: upper_bound, gaps: sometimes}
            """);
        var result = results["dbt_utils_mutually_exclusive_ranges_ranges"];
        Assert.Equal(CheckStatus.Error, result.Status);
        Assert.Contains("gaps must be 'allowed', 'not_allowed' or 'required', not 'sometimes'", result.Message);
        Assert.Contains("<sluice>/dbt_utils/tests.sql:", result.Message);
    }

    private async Task<Dictionary<string, CheckResult>> RunAsync(string yaml)
    {
        Project.WriteChecks("version: 2\n" + yaml);
        return await Project.RunChecksAsync();
    }

    // The rows one query has and the other lacks, both ways, counted as sets.
    private static string Both(string left, string right) =>
        $"select (select count(*) from ({left} except {right}) as a) + (select count(*) from ({right} except {left}) as b)";

    private static void Expect(Dictionary<string, CheckResult> results, string name, long failing)
    {
        var result = results[name];
        Assert.True(result.Status == (failing == 0 ? CheckStatus.Pass : CheckStatus.Fail), $"{name}: {result.Status} {result.Message}");
        Assert.Equal(failing, result.FailingRows);
    }

    private static List<long> RangeIds(CheckResult result) =>
        [.. JsonDocument.Parse(result.Sample ?? "[]").RootElement.EnumerateArray().Select(row => row.GetProperty("range_id").GetInt64()).Order()];
}

public sealed class DuckDbDbtUtilsTestTests(DuckDbGenericProject project) : DbtUtilsTestTests<DuckDbGenericProject>(project);

public sealed class PostgresDbtUtilsTestTests(PostgresGenericProject project) : DbtUtilsTestTests<PostgresGenericProject>(project);
