using System.Globalization;
using System.Text.Json;
using Sluice.Core.Checks;
using Sluice.Core.Models;

namespace Sluice.Checks.Tests;

/// <summary>
/// Generic tests written as macros — in macros/, in tests/generic/, a root project's override of
/// a check type, a package's test overridden through dispatch: — with dbt's settings (where,
/// severity, warn_if, error_if, fail_calc, limit, store_failures) on real warehouses. Failing
/// counts are compared with SQL the test runs on the seeds.
/// </summary>
public abstract class GenericTestTests<TProject>(TProject project) : IClassFixture<TProject>
    where TProject : QualityProject
{
    protected TProject Project { get; } = project;

    [Fact]
    public async Task A_test_in_macros_passes_and_fails_with_its_failing_rows()
    {
        var results = await RunAsync("""
            models:
              - name: stg_orders
                columns:
                  - name: amount
                    tests: [is_positive]
                  - name: order_id
                    tests:
                      - is_positive: {allow_zero: true}
            """);
        var failed = results["is_positive_stg_orders_amount"];
        Assert.Equal(CheckStatus.Fail, failed.Status);
        Assert.Equal(await Project.CountAsync("select count(*) from main.orders where amount <= 0"), failed.FailingRows);
        Assert.Equal(await Project.LongsAsync("select order_id from main.orders where amount <= 0 order by 1"), Keys(failed, "order_id"));
        Assert.Equal("is_positive", failed.Check.Type);
        Assert.IsType<MacroCheck>(failed.Check.Kind);
        Assert.Equal(CheckStatus.Pass, results["is_positive_stg_orders_order_id"].Status);
        Assert.Equal(0, results["is_positive_stg_orders_order_id"].FailingRows);
    }

    [Fact]
    public async Task A_test_in_tests_generic_reads_a_relation_argument_and_singular_tests_still_run()
    {
        var results = await RunAsync("""
            models:
              - name: stg_customers
                columns:
                  - name: customer_id
                    tests:
                      - has_orders: {orders: ref('stg_orders')}
                      - has_orders:
                          name: has_early_orders
                          arguments:
                            orders: "{{ ref('stg_orders') }}"
                          config:
                            where: "customer_id <= 3"
            """);
        var all = results["has_orders_stg_customers_customer_id"];
        Assert.Equal(CheckStatus.Pass, all.Status);
        Assert.Contains(RelationReferenceTo("stg_orders"), all.Check.Reads);
        var early = results["has_early_orders"];
        Assert.Equal(CheckStatus.Pass, early.Status);
        Assert.Equal(CheckStatus.Pass, results["assert_amounts_below_1000"].Status);
        Assert.DoesNotContain(results.Keys, k => k.Contains("has_orders", StringComparison.Ordinal) && k != "has_orders_stg_customers_customer_id");
    }

    [Fact]
    public async Task Where_filters_the_model_the_macro_receives()
    {
        var results = await RunAsync("""
            models:
              - name: stg_orders
                columns:
                  - name: amount
                    tests:
                      - is_positive: {where: "order_id <> 4", name: positive_without_4}
                      - is_positive: {config: {where: "status = 'returned'"}, name: positive_returned}
            """);
        Assert.Equal(CheckStatus.Pass, results["positive_without_4"].Status);
        var returned = results["positive_returned"];
        Assert.Equal(CheckStatus.Fail, returned.Status);
        Assert.Equal(await Project.CountAsync("select count(*) from main.orders where status = 'returned' and amount <= 0"), returned.FailingRows);
    }

    [Theory]
    [InlineData("2025-01-04", "2025-01-04")]
    [InlineData("2025-01-05", "2025-01-06")]
    public async Task A_partitioned_model_is_tested_over_the_partitions_of_the_run(string from, string to)
    {
        Project.WriteChecks("""
            version: 2
            models:
              - name: fct_daily_orders
                columns:
                  - name: amount
                    tests: [is_positive]
            """);
        var (first, last) = (DateOnly.Parse(from, CultureInfo.InvariantCulture), DateOnly.Parse(to, CultureInfo.InvariantCulture));
        var partitions = Enumerable.Range(0, last.DayNumber - first.DayNumber + 1).Select(d => new DatePartition(first.AddDays(d), first.AddDays(d + 1))).ToList();
        var options = new CheckRunOptions
        {
            Now = () => QualityProject.Now,
            Partitions = new Dictionary<string, IReadOnlyList<DatePartition>> { ["fct_daily_orders"] = partitions },
        };
        var result = (await Project.RunChecksAsync(options))["is_positive_fct_daily_orders_amount"];
        Assert.Equal(
            await Project.CountAsync($"select count(*) from main.orders where amount <= 0 and cast(ordered_at as date) between date '{from}' and date '{to}'"),
            result.FailingRows);
        Assert.Equal(from == to ? from : $"{from}..{to}", result.Scope);
        Assert.True(await Project.CountAsync("select count(*) from main.fct_daily_orders where amount <= 0") > 0);
    }

    [Theory]
    [InlineData("severity: warn", CheckStatus.Warn)]
    [InlineData("severity: error", CheckStatus.Fail)]
    [InlineData("error_if: '>2'", CheckStatus.Warn)]
    [InlineData("error_if: '>= 1'", CheckStatus.Fail)]
    [InlineData("{warn_if: '>2', error_if: '>2'}", CheckStatus.Pass)]
    [InlineData("{warn_if: '>1', error_if: '>2'}", CheckStatus.Warn)]
    [InlineData("{severity: warn, warn_if: '>5', error_if: '!=0'}", CheckStatus.Pass)]
    [InlineData("{fail_calc: 'sum(amount)', error_if: '>90'}", CheckStatus.Fail)]
    [InlineData("{fail_calc: 'sum(amount)', error_if: '>100', warn_if: '>100'}", CheckStatus.Pass)]
    public async Task Severity_and_thresholds_decide_as_dbt_does(string config, CheckStatus expected)
    {
        // Two coupons are null: count(*) is 2, and their amounts sum to more than 90 and at most 100.
        Assert.Equal(2, await Project.CountAsync("select count(*) from main.orders where coupon is null"));
        var sum = await Project.CountAsync("select cast(round(sum(amount)) as bigint) from main.orders where coupon is null");
        Assert.InRange(sum, 91, 100);
        var results = await RunAsync($$"""
            models:
              - name: stg_orders
                columns:
                  - name: coupon
                    tests:
                      - nulls_of:
                          config: {{(config.StartsWith('{') ? config : "{" + config + "}")}}
            """, extraMacro: "{% test nulls_of(model, column_name) %}select * from {{ model }} where {{ column_name }} is null{% endtest %}");
        var result = results["nulls_of_stg_orders_coupon"];
        Assert.Equal(expected, result.Status);
        Assert.Equal(config.Contains("fail_calc", StringComparison.Ordinal) ? sum : 2, result.FailingRows);
    }

    [Fact]
    public async Task Config_in_the_macro_sets_defaults_the_yaml_overrides()
    {
        var results = await RunAsync("""
            models:
              - name: stg_orders
                columns:
                  - name: coupon
                    tests:
                      - nulls_warn
                      - nulls_warn: {severity: error, name: nulls_error}
                      - nulls_warn: {config: {error_if: '>1', severity: error}, name: nulls_error_above_1}
                  - name: order_id
                    tests:
                      - nulls_warn
            """, extraMacro: "{% test nulls_warn(model, column_name) %}{{ config(severity='warn', error_if='>5') }}select * from {{ model }} where {{ column_name }} is null{% endtest %}");
        var warned = results["nulls_warn_stg_orders_coupon"];
        Assert.Equal((CheckStatus.Warn, CheckSeverity.Warn), (warned.Status, warned.Check.Severity));
        Assert.Equal(await Project.CountAsync("select count(*) from main.orders where coupon is null"), warned.FailingRows);
        // severity error from the YAML, error_if '>5' from the macro: two nulls only warn.
        Assert.Equal((CheckStatus.Warn, CheckSeverity.Error), (results["nulls_error"].Status, results["nulls_error"].Check.Severity));
        Assert.Equal(CheckStatus.Fail, results["nulls_error_above_1"].Status);
        Assert.Equal(CheckStatus.Pass, results["nulls_warn_stg_orders_order_id"].Status);
    }

    [Fact]
    public async Task Limit_caps_the_failing_rows_and_store_failures_keeps_them()
    {
        var results = await RunAsync("""
            models:
              - name: stg_orders
                columns:
                  - name: coupon
                    tests:
                      - every_row: {limit: 3, name: limited, store_failures: true}
            """, extraMacro: "{% test every_row(model, column_name) %}select * from {{ model }}{% endtest %}");
        var limited = results["limited"];
        Assert.True(await Project.CountAsync("select count(*) from main.orders") > 3);
        Assert.Equal(3, limited.FailingRows);
        var audit = new CheckRunner(Project.Parse(), Project.Warehouse).AuditSchema;
        Assert.Equal(3, await Project.CountAsync($"select count(*) from \"{audit}\".limited"));
    }

    [Fact]
    public async Task A_root_test_named_like_a_check_type_overrides_it()
    {
        Project.WriteFile("macros/override_unique.sql", """
            {% test unique(model, column_name) %}
            select {{ column_name }} from {{ model }} where {{ column_name }} is not null group by {{ column_name }} having count(*) > 2
            {% endtest %}
            """);
        try
        {
            var results = await RunAsync("""
                models:
                  - name: stg_orders
                    columns:
                      - name: customer_id
                        tests: [unique, dbt.not_null]
                """);
            var unique = results["unique_stg_orders_customer_id"];
            Assert.IsType<MacroCheck>(unique.Check.Kind);
            // No customer has more than two orders, though several have two: the override passes.
            Assert.Equal(0, await Project.CountAsync("select count(*) from (select customer_id from main.orders group by customer_id having count(*) > 2) as c"));
            Assert.Equal(CheckStatus.Pass, unique.Status);
            Assert.IsType<NotNullCheck>(results["not_null_stg_orders_customer_id"].Check.Kind);
        }
        finally
        {
            Project.WriteFile("macros/override_unique.sql", null);
        }
    }

    [Fact]
    public async Task A_package_test_is_overridden_through_dispatch()
    {
        var projectFile = Path.Combine(Project.ProjectDirectory, "dbt_project.yml");
        var original = await File.ReadAllTextAsync(projectFile);
        await File.WriteAllTextAsync(projectFile, original + "dispatch:\n  - macro_namespace: dbt_utils\n    search_order: [generic, dbt_utils]\n");
        Project.WriteFile("macros/at_least_one.sql", """
            {% macro default__test_at_least_one(model, column_name, group_by_columns) %}
            select 1 as always_fails
            {% endmacro %}
            """);
        try
        {
            var results = await RunAsync("""
                models:
                  - name: stg_orders
                    columns:
                      - name: order_id
                        tests: [dbt_utils.at_least_one]
                """);
            var result = results["dbt_utils_at_least_one_stg_orders_order_id"];
            Assert.Equal(CheckStatus.Fail, result.Status);
            Assert.Equal(1, result.FailingRows);
        }
        finally
        {
            await File.WriteAllTextAsync(projectFile, original);
            Project.WriteFile("macros/at_least_one.sql", null);
        }

        var plain = await RunAsync("""
            models:
              - name: stg_orders
                columns:
                  - name: order_id
                    tests: [dbt_utils.at_least_one]
            """);
        Assert.Equal(CheckStatus.Pass, plain["dbt_utils_at_least_one_stg_orders_order_id"].Status);
    }

    [Fact]
    public virtual async Task A_test_on_a_source_and_on_an_ephemeral_model_reads_them()
    {
        var results = await RunAsync("""
            sources:
              - name: raw
                schema: main
                tables:
                  - name: orders
                    columns:
                      - name: amount
                        tests: [is_positive]
            models:
              - name: eph_orders
                columns:
                  - name: order_id
                    tests: [is_positive]
                  - name: amount
                    tests: [is_positive]
            """);
        var expected = await Project.CountAsync("select count(*) from main.orders where amount <= 0");
        Assert.Equal(expected, results["source_is_positive_raw_orders_amount"].FailingRows);
        Assert.Equal(CheckStatus.Pass, results["is_positive_eph_orders_order_id"].Status);
        Assert.Equal(expected, results["is_positive_eph_orders_amount"].FailingRows);
    }

    [Fact]
    public async Task An_error_inside_a_macro_names_its_file_and_line_and_the_entry()
    {
        Project.WriteFile("macros/broken.sql", "{% test broken(model, column_name) %}\nselect *\nfrom {{ model }}\nwhere {{ column_name | no_such_filter }} > 0\n{% endtest %}\n");
        try
        {
            var results = await RunAsync("""
                models:
                  - name: stg_orders
                    columns:
                      - name: amount
                        tests: [broken]
                """);
            var result = results["broken_stg_orders_amount"];
            Assert.Equal(CheckStatus.Error, result.Status);
            Assert.StartsWith("models/checks.yml:6: check 'broken_stg_orders_amount' (test 'broken', macro generic.test_broken at macros/broken.sql:1)", result.Message);
            Assert.Contains("macros/broken.sql:4:", result.Message);
            Assert.Contains("no_such_filter", result.Message);
        }
        finally
        {
            Project.WriteFile("macros/broken.sql", null);
        }
    }

    [Fact]
    public async Task Sql_that_fails_on_the_warehouse_is_an_error_naming_the_macro()
    {
        var results = await RunAsync("""
            models:
              - name: stg_orders
                columns:
                  - name: no_such_column
                    tests: [is_positive]
                  - name: amount
                    tests: [is_positive]
            """);
        var broken = results["is_positive_stg_orders_no_such_column"];
        Assert.Equal(CheckStatus.Error, broken.Status);
        Assert.True(broken.Message!.StartsWith("models/checks.yml:6: check 'is_positive_stg_orders_no_such_column' (test 'is_positive', macro generic.test_is_positive at macros/generic_tests.sql:2) could not run:", StringComparison.Ordinal), broken.Message);
        Assert.Equal(CheckStatus.Fail, results["is_positive_stg_orders_amount"].Status);
    }

    [Fact]
    public async Task Tags_and_enabled_apply_to_macro_tests()
    {
        var results = await RunAsync("""
            models:
              - name: stg_orders
                columns:
                  - name: amount
                    tests:
                      - is_positive: {tags: [money], name: tagged}
                      - is_positive: {config: {enabled: false}, name: switched_off}
            """);
        Assert.Equal(["money"], results["tagged"].Check.Tags);
        Assert.DoesNotContain("switched_off", results.Keys);
    }

    protected async Task<Dictionary<string, CheckResult>> RunAsync(string yaml, string? extraMacro = null)
    {
        Project.WriteFile("macros/extra.sql", extraMacro);
        Project.WriteChecks("version: 2\n" + yaml);
        return await Project.RunChecksAsync();
    }

    private static Core.Models.RelationReference RelationReferenceTo(string model) => Core.Models.RelationReference.ForModel(model);

    private static List<long> Keys(CheckResult result, string key) =>
        [.. JsonDocument.Parse(result.Sample ?? "[]").RootElement.EnumerateArray().Select(row => row.GetProperty(key).GetInt64())];
}

public sealed class DuckDbGenericTestTests(DuckDbGenericProject project) : GenericTestTests<DuckDbGenericProject>(project);

public sealed class PostgresGenericTestTests(PostgresGenericProject project) : GenericTestTests<PostgresGenericProject>(project);

public sealed class ClickHouseGenericTestTests(ClickHouseGenericProject project) : GenericTestTests<ClickHouseGenericProject>(project)
{
    // Ephemeral models are read through a CTE put in front of the query, which ClickHouse 18.16
    // lacks: a test of one is an error that says so and what to do, and tests of other
    // relations in the same run are not affected.
    [Fact]
    public override async Task A_test_on_a_source_and_on_an_ephemeral_model_reads_them()
    {
        var results = await RunAsync("""
            sources:
              - name: raw
                schema: main
                tables:
                  - name: orders
                    columns:
                      - name: amount
                        tests: [is_positive]
            models:
              - name: eph_orders
                columns:
                  - name: amount
                    tests: [is_positive]
            """);
        Assert.Equal(await Project.CountAsync("select count(*) from main.orders where amount <= 0"), results["source_is_positive_raw_orders_amount"].FailingRows);
        var ephemeral = results["is_positive_eph_orders_amount"];
        Assert.Equal(CheckStatus.Error, ephemeral.Status);
        Assert.Contains("check 'is_positive_eph_orders_amount'", ephemeral.Message);
        Assert.Contains("no common table expressions", ephemeral.Message);
        Assert.Contains("materialize it as a view", ephemeral.Message);
        Assert.DoesNotContain('\n', ephemeral.Message!);
    }
}
