namespace Sluice.Checks.Tests;

/// <summary>
/// Sluice's built-in dbt_expectations tests, each on data where it passes and data where it
/// fails; the failing count is compared with SQL the test runs on the seeds itself.
/// </summary>
public abstract class DbtExpectationsTestTests<TProject>(TProject project) : IClassFixture<TProject>
    where TProject : QualityProject
{
    protected TProject Project { get; } = project;

    [Fact]
    public async Task Value_tests_count_the_rows_that_fail()
    {
        var results = await RunAsync("""
            models:
              - name: stg_orders
                columns:
                  - name: coupon
                    tests:
                      - dbt_expectations.expect_column_values_to_not_be_null: {name: coupon_not_null}
                      - dbt_expectations.expect_column_values_to_not_be_null: {row_condition: "order_id not in (3, 8)", name: coupon_not_null_elsewhere}
                      - dbt_expectations.expect_column_values_to_be_null: {name: coupon_null}
                  - name: nothing
                    tests:
                      - dbt_expectations.expect_column_values_to_be_null: {name: nothing_null}
                  - name: order_id
                    tests:
                      - dbt_expectations.expect_column_values_to_be_unique: {name: order_id_unique}
                  - name: customer_id
                    tests:
                      - dbt_expectations.expect_column_values_to_be_unique: {name: customer_id_unique}
                      - dbt_expectations.expect_column_values_to_be_in_set: {value_set: [1, 2, 3, 4, 5], quote_values: false, name: customer_in_set}
                      - dbt_expectations.expect_column_values_to_be_in_set: {value_set: [1, 2, 3, 4, 5], quote_values: false, row_condition: "customer_id < 10", name: customer_in_set_below_10}
                  - name: amount
                    tests:
                      - dbt_expectations.expect_column_values_to_be_between: {min_value: 0, max_value: 100, name: amount_0_100}
                      - dbt_expectations.expect_column_values_to_be_between: {min_value: -10, max_value: 100, name: amount_wide}
                      - dbt_expectations.expect_column_values_to_be_between: {min_value: -5, max_value: 100, strictly: true, name: amount_strictly}
                      - dbt_expectations.expect_column_values_to_be_between: {max_value: 50, row_condition: "status = 'placed'", name: amount_placed_below_50}
                  - name: status
                    tests:
                      - dbt_expectations.expect_column_values_to_be_in_set: {value_set: [placed, shipped, returned], name: status_in_set}
                      - dbt_expectations.expect_column_values_to_be_in_set: {value_set: [placed, shipped, returned, bogus], name: status_in_wide_set}
                      - dbt_expectations.expect_column_values_to_not_be_in_set: {value_set: [cancelled], name: status_not_cancelled}
                      - dbt_expectations.expect_column_values_to_not_be_in_set: {value_set: [bogus, returned], name: status_not_bogus}
            """);
        Expect(results, "coupon_not_null", await Project.CountAsync("select count(*) from main.orders where coupon is null"));
        Expect(results, "coupon_not_null_elsewhere", 0);
        Expect(results, "coupon_null", await Project.CountAsync("select count(*) from main.orders where coupon is not null"));
        Expect(results, "nothing_null", 0);
        Expect(results, "order_id_unique", 0);
        Expect(results, "customer_id_unique", await Project.CountAsync("select count(*) from (select customer_id from main.orders group by customer_id having count(*) > 1) as c"));
        Expect(results, "customer_in_set", await Project.CountAsync("select count(*) from main.orders where customer_id not in (1, 2, 3, 4, 5)"));
        Expect(results, "customer_in_set_below_10", 0);
        Expect(results, "amount_0_100", await Project.CountAsync("select count(*) from main.orders where amount < 0 or amount > 100"));
        Expect(results, "amount_wide", 0);
        Expect(results, "amount_strictly", await Project.CountAsync("select count(*) from main.orders where amount <= -5 or amount >= 100"));
        Expect(results, "amount_placed_below_50", await Project.CountAsync("select count(*) from main.orders where status = 'placed' and amount > 50"));
        Expect(results, "status_in_set", await Project.CountAsync("select count(*) from main.orders where status not in ('placed', 'shipped', 'returned')"));
        Expect(results, "status_in_wide_set", 0);
        Expect(results, "status_not_cancelled", 0);
        Expect(results, "status_not_bogus", await Project.CountAsync("select count(*) from main.orders where status in ('bogus', 'returned')"));
    }

    [Fact]
    public async Task Text_tests_match_patterns_and_lengths()
    {
        var results = await RunAsync("""
            models:
              - name: stg_orders
                columns:
                  - name: email
                    tests:
                      - dbt_expectations.expect_column_values_to_match_regex: {regex: '^[^@]+@[^@]+\.[a-z]+$', name: email_shape}
                      - dbt_expectations.expect_column_values_to_match_regex: {regex: '@', name: email_has_at}
                      - dbt_expectations.expect_column_values_to_match_regex: {regex: '[a-z]', name: email_has_letters}
                      - dbt_expectations.expect_column_values_to_match_regex: {regex: 'ADA', flags: i, name: email_ada_any_case}
                      - dbt_expectations.expect_column_values_to_match_regex: {regex: 'ADA', name: email_ada_upper}
                      - dbt_expectations.expect_column_values_to_not_match_regex: {regex: '^ghost', name: email_not_ghost}
                      - dbt_expectations.expect_column_values_to_not_match_regex: {regex: '^nobody', name: email_not_nobody}
                      - dbt_expectations.expect_column_values_to_match_like_pattern: {like_pattern: '%@%', name: email_like_at}
                      - dbt_expectations.expect_column_values_to_match_like_pattern: {like_pattern: '%e%', name: email_like_e}
                      - dbt_expectations.expect_column_values_to_not_match_like_pattern: {like_pattern: '%example.com', name: email_not_example}
                      - dbt_expectations.expect_column_values_to_not_match_like_pattern: {like_pattern: '%nobody%', name: email_not_nobody_like}
                      - dbt_expectations.expect_column_value_lengths_to_be_between: {min_value: 13, name: email_long}
                      - dbt_expectations.expect_column_value_lengths_to_be_between: {min_value: 5, max_value: 40, name: email_sized}
                      - dbt_expectations.expect_column_value_lengths_to_equal: {value: 15, name: email_15}
                      - dbt_expectations.expect_column_value_lengths_to_equal: {value: 15, row_condition: "email = 'ada@example.com'", name: ada_15}
            """);
        Expect(results, "email_shape", await Project.CountAsync("select count(*) from main.orders where email not like '%@%.%'"));
        Expect(results, "email_has_at", await Project.CountAsync("select count(*) from main.orders where email not like '%@%'"));
        Expect(results, "email_has_letters", 0);
        Expect(results, "email_ada_any_case", await Project.CountAsync("select count(*) from main.orders where lower(email) not like '%ada%'"));
        Expect(results, "email_ada_upper", await Project.CountAsync("select count(*) from main.orders"));
        Expect(results, "email_not_ghost", await Project.CountAsync("select count(*) from main.orders where email like 'ghost%'"));
        Expect(results, "email_not_nobody", 0);
        Expect(results, "email_like_at", await Project.CountAsync("select count(*) from main.orders where email not like '%@%'"));
        Expect(results, "email_like_e", 0);
        Expect(results, "email_not_example", await Project.CountAsync("select count(*) from main.orders where email like '%example.com'"));
        Expect(results, "email_not_nobody_like", 0);
        Expect(results, "email_long", await Project.CountAsync("select count(*) from main.orders where length(email) < 13"));
        Expect(results, "email_sized", 0);
        Expect(results, "email_15", await Project.CountAsync("select count(*) from main.orders where length(email) <> 15"));
        Expect(results, "ada_15", 0);
    }

    [Fact]
    public async Task Table_shape_tests_count_rows_and_columns()
    {
        var columns = (await Project.LongsAsync("select count(*) from information_schema.columns where table_schema = 'main' and table_name = 'stg_orders'"))[0];
        var results = await RunAsync($$"""
            models:
              - name: stg_orders
                tests:
                  - dbt_expectations.expect_table_row_count_to_be_between: {min_value: 1, max_value: 10, name: rows_1_10}
                  - dbt_expectations.expect_table_row_count_to_be_between: {max_value: 5, name: rows_at_most_5}
                  - dbt_expectations.expect_table_row_count_to_be_between: {min_value: 2, group_by: [customer_id], name: rows_per_customer}
                  - dbt_expectations.expect_table_row_count_to_equal: {value: 10, name: rows_10}
                  - dbt_expectations.expect_table_row_count_to_equal: {value: 11, name: rows_11}
                  - dbt_expectations.expect_table_row_count_to_equal: {value: 4, row_condition: "status = 'placed'", name: placed_4}
                  - dbt_expectations.expect_table_row_count_to_equal_other_table: {compare_model: ref('orders'), name: rows_as_seed}
                  - dbt_expectations.expect_table_row_count_to_equal_other_table: {compare_model: ref('customers'), name: rows_as_customers}
                  - dbt_expectations.expect_table_row_count_to_equal_other_table: {compare_model: ref('customers'), factor: 2, name: rows_twice_customers}
                  - dbt_expectations.expect_table_row_count_to_equal_other_table: {compare_model: ref('customers'), group_by: [customer_id], compare_group_by: [customer_id], name: rows_by_customer}
                  - dbt_expectations.expect_table_column_count_to_equal: {value: {{columns}}, name: columns_as_many}
                  - dbt_expectations.expect_table_column_count_to_equal: {value: 3, name: columns_3}
                columns:
                  - name: email
                    tests:
                      - dbt_expectations.expect_column_to_exist: {name: email_exists}
                      - dbt_expectations.expect_column_to_exist: {column_index: 6, name: email_sixth}
                      - dbt_expectations.expect_column_to_exist: {column_index: 2, name: email_second}
                  - name: no_such_column
                    tests:
                      - dbt_expectations.expect_column_to_exist: {name: missing_exists}
                  - name: updated_at
                    tests:
                      - dbt_expectations.expect_row_values_to_have_recent_data: {datepart: day, interval: 36500, name: updated_this_century}
                      - dbt_expectations.expect_row_values_to_have_recent_data: {datepart: day, interval: 1, name: updated_today}
                      - dbt_expectations.expect_row_values_to_have_recent_data: {datepart: day, interval: 36500, row_condition: "1 = 0", name: updated_nothing}
            """);
        Assert.Equal(6, await Project.CountAsync("select ordinal_position from information_schema.columns where table_schema = 'main' and table_name = 'stg_orders' and column_name = 'email'"));
        Expect(results, "rows_1_10", 0);
        Expect(results, "rows_at_most_5", 1);
        Expect(results, "rows_per_customer", await Project.CountAsync("select count(*) from (select customer_id from main.orders group by customer_id having count(*) < 2) as c"));
        Expect(results, "rows_10", 0);
        Expect(results, "rows_11", 1);
        Expect(results, "placed_4", 0);
        Expect(results, "rows_as_seed", 0);
        Expect(results, "rows_as_customers", 1);
        Expect(results, "rows_twice_customers", 0);
        Expect(results, "rows_by_customer", await Project.CountAsync(
            "select count(*) from (select customer_id, count(*) as n from main.orders group by customer_id) as o full outer join (select customer_id, count(*) as n from main.customers group by customer_id) as c using (customer_id) where coalesce(o.n, 0) <> coalesce(c.n, 0)"));
        Expect(results, "columns_as_many", 0);
        Expect(results, "columns_3", 1);
        Expect(results, "email_exists", 0);
        Expect(results, "email_sixth", 0);
        Expect(results, "email_second", 1);
        Expect(results, "missing_exists", 1);
        Expect(results, "updated_this_century", 0);
        Expect(results, "updated_today", 1);
        Expect(results, "updated_nothing", 1);
    }

    [Fact]
    public async Task Aggregate_and_order_tests_compare_what_the_column_adds_up_to()
    {
        var results = await RunAsync("""
            models:
              - name: stg_orders
                tests:
                  - dbt_expectations.expect_compound_columns_to_be_unique: {column_list: [order_id, status], name: order_status_unique}
                  - dbt_expectations.expect_compound_columns_to_be_unique: {column_list: [customer_id, status], name: customer_status_unique}
                  - dbt_expectations.expect_compound_columns_to_be_unique: {column_list: [customer_id, coupon], name: customer_coupon_unique}
                  - dbt_expectations.expect_compound_columns_to_be_unique: {column_list: [customer_id, coupon], ignore_row_if: any_value_is_missing, name: customer_coupon_unique_when_known}
                  - dbt_expectations.expect_column_pair_values_A_to_be_greater_than_B: {column_A: order_id, column_B: customer_id, name: order_above_customer}
                  - dbt_expectations.expect_column_pair_values_A_to_be_greater_than_B: {column_A: order_id, column_B: customer_id, or_equal: true, name: order_not_below_customer}
                  - dbt_expectations.expect_column_pair_values_A_to_be_greater_than_B: {column_A: order_id, column_B: customer_id, or_equal: true, row_condition: "customer_id <> 99", name: order_not_below_known_customer}
                  - dbt_expectations.expect_column_pair_values_to_be_equal: {column_A: order_id, column_B: order_id, name: order_is_itself}
                  - dbt_expectations.expect_column_pair_values_to_be_equal: {column_A: order_id, column_B: customer_id, name: order_is_customer}
                columns:
                  - name: customer_id
                    tests:
                      - dbt_expectations.expect_column_distinct_count_to_equal: {value: 6, name: customers_6}
                      - dbt_expectations.expect_column_distinct_count_to_equal: {value: 5, name: customers_5}
                      - dbt_expectations.expect_column_distinct_count_to_be_greater_than: {value: 5, name: customers_over_5}
                      - dbt_expectations.expect_column_distinct_count_to_be_greater_than: {value: 6, name: customers_over_6}
                      - dbt_expectations.expect_column_distinct_count_to_be_less_than: {value: 7, name: customers_under_7}
                      - dbt_expectations.expect_column_distinct_count_to_be_less_than: {value: 6, name: customers_under_6}
                      - dbt_expectations.expect_column_unique_value_count_to_be_between: {min_value: 1, max_value: 3, name: customers_1_3}
                      - dbt_expectations.expect_column_unique_value_count_to_be_between: {min_value: 6, max_value: 6, name: customers_6_6}
                  - name: amount
                    tests:
                      - dbt_expectations.expect_column_mean_to_be_between: {min_value: 40, max_value: 50, name: mean_40_50}
                      - dbt_expectations.expect_column_mean_to_be_between: {min_value: 50, name: mean_over_50}
                      - dbt_expectations.expect_column_mean_to_be_between: {min_value: 0, group_by: [customer_id], name: mean_by_customer_positive}
                      - dbt_expectations.expect_column_min_to_be_between: {min_value: -10, max_value: 0, name: min_around_0}
                      - dbt_expectations.expect_column_min_to_be_between: {min_value: 0, name: min_positive}
                      - dbt_expectations.expect_column_max_to_be_between: {max_value: 50, name: max_below_50}
                      - dbt_expectations.expect_column_max_to_be_between: {max_value: 100, name: max_up_to_100}
                      - dbt_expectations.expect_column_sum_to_be_between: {min_value: 0, max_value: 1000, name: sum_below_1000}
                      - dbt_expectations.expect_column_sum_to_be_between: {max_value: 100, name: sum_up_to_100}
                      - dbt_expectations.expect_column_stdev_to_be_between: {max_value: 1, name: stdev_below_1}
                      - dbt_expectations.expect_column_stdev_to_be_between: {min_value: 1, name: stdev_above_1}
                      - dbt_expectations.expect_column_values_to_be_increasing: {sort_column: order_id, name: amount_increasing}
                      - dbt_expectations.expect_column_values_to_be_increasing: {sort_column: order_id, group_by: [customer_id], name: amount_increasing_by_customer}
                      - dbt_expectations.expect_column_values_to_be_decreasing: {sort_column: order_id, name: amount_decreasing}
                  - name: order_id
                    tests:
                      - dbt_expectations.expect_column_values_to_be_increasing: {name: ids_increasing}
                      - dbt_expectations.expect_column_values_to_be_increasing: {step: 1, name: ids_step_1}
                      - dbt_expectations.expect_column_values_to_be_increasing: {step: 2, name: ids_step_2}
                      - dbt_expectations.expect_column_values_to_be_decreasing: {strictly: false, name: ids_decreasing}
            """);
        Expect(results, "order_status_unique", 0);
        Expect(results, "customer_status_unique", await Project.CountAsync("select count(*) from (select 1 from main.orders group by customer_id, status having count(*) > 1) as c"));
        Expect(results, "customer_coupon_unique", await Project.CountAsync("select count(*) from (select 1 from main.orders group by customer_id, coupon having count(*) > 1) as c"));
        Expect(results, "customer_coupon_unique_when_known", await Project.CountAsync("select count(*) from (select 1 from main.orders where coupon is not null group by customer_id, coupon having count(*) > 1) as c"));
        Assert.NotEqual(results["customer_coupon_unique"].FailingRows, results["customer_coupon_unique_when_known"].FailingRows);
        Expect(results, "order_above_customer", await Project.CountAsync("select count(*) from main.orders where order_id <= customer_id"));
        Expect(results, "order_not_below_customer", await Project.CountAsync("select count(*) from main.orders where order_id < customer_id"));
        Expect(results, "order_not_below_known_customer", 0);
        Expect(results, "order_is_itself", 0);
        Expect(results, "order_is_customer", await Project.CountAsync("select count(*) from main.orders where order_id <> customer_id"));
        var customers = await Project.CountAsync("select count(distinct customer_id) from main.orders");
        Assert.Equal(6, customers);
        Expect(results, "customers_6", 0);
        Expect(results, "customers_5", 1);
        Expect(results, "customers_over_5", 0);
        Expect(results, "customers_over_6", 1);
        Expect(results, "customers_under_7", 0);
        Expect(results, "customers_under_6", 1);
        Expect(results, "customers_1_3", 1);
        Expect(results, "customers_6_6", 0);
        Assert.InRange(await Project.CountAsync("select cast(avg(amount) * 1000 as bigint) from main.orders"), 40_000, 50_000);
        Expect(results, "mean_40_50", 0);
        Expect(results, "mean_over_50", 1);
        Expect(results, "mean_by_customer_positive", await Project.CountAsync("select count(*) from (select customer_id from main.orders group by customer_id having avg(amount) < 0) as c"));
        Expect(results, "min_around_0", 0);
        Expect(results, "min_positive", await Project.CountAsync("select count(*) from (select min(amount) as m from main.orders) as a where m < 0"));
        Expect(results, "max_below_50", 1);
        Expect(results, "max_up_to_100", 0);
        Expect(results, "sum_below_1000", 0);
        Expect(results, "sum_up_to_100", await Project.CountAsync("select count(*) from (select sum(amount) as s from main.orders) as a where s > 100"));
        Expect(results, "stdev_below_1", 1);
        Expect(results, "stdev_above_1", 0);
        Expect(results, "amount_increasing", await Project.CountAsync(Lagged("amount <= previous", string.Empty)));
        Expect(results, "amount_increasing_by_customer", await Project.CountAsync(Lagged("amount <= previous", "partition by customer_id")));
        Expect(results, "amount_decreasing", await Project.CountAsync(Lagged("amount >= previous", string.Empty)));
        Expect(results, "ids_increasing", 0);
        Expect(results, "ids_step_1", 0);
        Expect(results, "ids_step_2", await Project.CountAsync("select count(*) - 1 from main.orders"));
        Expect(results, "ids_decreasing", await Project.CountAsync("select count(*) - 1 from main.orders"));
    }

    private async Task<Dictionary<string, CheckResult>> RunAsync(string yaml)
    {
        Project.WriteChecks("version: 2\n" + yaml);
        return await Project.RunChecksAsync();
    }

    // Rows whose amount, against the amount of the order before (by order_id), meets `failing`.
    private static string Lagged(string failing, string partition) =>
        $"select count(*) from (select amount, lag(amount) over ({partition} order by order_id) as previous from main.orders) as o where previous is not null and {failing}";

    private static void Expect(Dictionary<string, CheckResult> results, string name, long failing)
    {
        var result = results[name];
        Assert.True(result.Status == (failing == 0 ? CheckStatus.Pass : CheckStatus.Fail), $"{name}: {result.Status} {result.Message}");
        Assert.Equal(failing, result.FailingRows);
    }
}

public sealed class DuckDbDbtExpectationsTestTests(DuckDbGenericProject project) : DbtExpectationsTestTests<DuckDbGenericProject>(project);

public sealed class PostgresDbtExpectationsTestTests(PostgresGenericProject project) : DbtExpectationsTestTests<PostgresGenericProject>(project);
