namespace Sluice.Checks.Tests;

/// <summary>
/// dbt_utils and dbt_expectations tests on ClickHouse 18.16: those whose SQL it runs count their
/// failing rows as on the other engines; those written with common table expressions, which it
/// lacks, are errors that name the check, the macro, why and what to do.
/// </summary>
public sealed class ClickHousePackageTestTests(ClickHouseGenericProject project) : IClassFixture<ClickHouseGenericProject>
{
    [Fact]
    public async Task A_package_test_without_ctes_counts_its_failing_rows()
    {
        project.WriteChecks("""
            version: 2
            models:
              - name: stg_orders
                columns:
                  - name: coupon
                    tests:
                      - dbt_utils.at_least_one: {name: coupon_at_least_one}
                  - name: nothing
                    tests:
                      - dbt_utils.at_least_one: {name: nothing_at_least_one}
                  - name: amount
                    tests:
                      - dbt_expectations.expect_column_values_to_be_between: {min_value: 0, name: amount_not_negative}
            """);
        var results = await project.RunChecksAsync();
        Assert.Equal(CheckStatus.Pass, results["coupon_at_least_one"].Status);
        Assert.Equal(CheckStatus.Fail, results["nothing_at_least_one"].Status);
        Assert.Equal(await project.CountAsync("select count(*) from main.orders where amount < 0"), results["amount_not_negative"].FailingRows);
        Assert.Equal(CheckStatus.Fail, results["amount_not_negative"].Status);
    }

    [Fact]
    public async Task A_package_test_written_with_a_cte_is_an_error_naming_the_check_the_macro_and_the_fix()
    {
        project.WriteChecks("""
            version: 2
            models:
              - name: stg_orders
                tests:
                  - dbt_utils.equal_rowcount: {compare_model: ref('orders'), name: rowcount_same}
                columns:
                  - name: coupon
                    tests: [not_null]
            """);
        var results = await project.RunChecksAsync();
        var refused = results["rowcount_same"];
        Assert.Equal(CheckStatus.Error, refused.Status);
        Assert.Contains("check 'rowcount_same'", refused.Message);
        Assert.Contains("dbt_utils.test_equal_rowcount", refused.Message);
        Assert.Contains("ClickHouse 18.16 has no common table expressions", refused.Message);
        Assert.Contains("clickhouse__", refused.Message);
        Assert.DoesNotContain('\n', refused.Message!);
        Assert.Equal(await project.CountAsync("select count(*) from main.orders where coupon is null"), results["not_null_stg_orders_coupon"].FailingRows);
    }
}
