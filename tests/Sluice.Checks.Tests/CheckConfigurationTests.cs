using Sluice.Core.Project;

namespace Sluice.Checks.Tests;

/// <summary>Badly declared checks stop before anything runs, with the file, line and what is wrong.</summary>
public sealed class CheckConfigurationTests(DuckDbQualityProject project) : IClassFixture<DuckDbQualityProject>
{
    [Theory]
    [InlineData("      - name: coupon\n        tests: [not_nul]", "models/checks.yml:6:17: unknown check 'not_nul' on 'stg_orders', column 'coupon'; the checks are not_null, unique")]
    [InlineData("      - name: coupon\n        tests:\n          - not_null: {mostly: 95%}", "models/checks.yml:7:32: mostly must be a fraction from 0 to 1, such as 0.95")]
    [InlineData("      - name: coupon\n        tests:\n          - not_null: {mostly: 1.5}", "models/checks.yml:7:32: mostly must be a fraction from 0 to 1")]
    [InlineData("      - name: coupon\n        tests:\n          - accepted_values: {value: [a]}", "models/checks.yml:7:31: unknown key 'value' in the check 'accepted_values'")]
    [InlineData("      - name: coupon\n        tests:\n          - accepted_values: {quote: false}", "models/checks.yml:7:13: 'accepted_values' on 'stg_orders', column 'coupon' needs values")]
    [InlineData("      - name: customer_id\n        tests:\n          - relationships: {to: ref('nowhere'), field: id}", "models/checks.yml:7:33: to: ref('nowhere') names no model, seed or snapshot of this project")]
    [InlineData("      - name: coupon\n        tests:\n          - not_null: {severity: fatal}", "models/checks.yml:7:34: severity must be 'warn' or 'error', not 'fatal'")]
    [InlineData("      - name: coupon\n        tests: [row_count]", "models/checks.yml:6:17: 'row_count' on 'stg_orders', column 'coupon' checks the table as a whole")]
    public void A_bad_check_names_file_line_and_fix(string columns, string expected)
    {
        project.WriteChecks($"version: 2\nmodels:\n  - name: stg_orders\n    columns:\n{columns}\n");
        var error = Assert.Throws<ConfigurationException>(() => project.Parse());
        Assert.StartsWith(expected, error.Message);
    }

    [Fact]
    public void Checks_on_a_model_that_does_not_exist_are_an_error()
    {
        project.WriteChecks("version: 2\nmodels:\n  - name: stg_ordres\n    columns:\n      - name: id\n        tests: [unique]\n");
        var error = Assert.Throws<ConfigurationException>(() => project.Parse());
        Assert.StartsWith("models/checks.yml:3:5: checks are declared on 'stg_ordres', which is not a model, seed or snapshot of this project", error.Message);
    }

    [Fact]
    public void Mostly_on_a_check_of_the_whole_table_is_an_error()
    {
        project.WriteChecks("version: 2\nmodels:\n  - name: stg_orders\n    tests:\n      - not_empty: {mostly: 0.9}\n");
        var error = Assert.Throws<ConfigurationException>(() => project.Parse());
        Assert.Contains("mostly applies to checks that count rows", error.Message);
        Assert.StartsWith("models/checks.yml:5:", error.Message);
    }

    [Fact]
    public async Task A_missing_column_is_found_before_any_check_runs()
    {
        project.WriteChecks("version: 2\nmodels:\n  - name: stg_orders\n    columns:\n      - name: cupon\n        tests: [not_null]\n      - name: coupon\n        tests: [not_null]\n");
        var parsed = project.Parse();
        var problems = (await new CheckRunner(parsed, project.Warehouse).PrepareAsync(parsed.Checks, new CheckRunOptions(), CancellationToken.None)).Problems;
        var problem = Assert.Single(problems);
        Assert.StartsWith("models/checks.yml:6: check 'not_null_stg_orders_cupon' names the column 'cupon', which ref('stg_orders') does not have (its columns are order_id, customer_id", problem);
    }

    [Fact]
    public void Dbt_forms_read_alike_and_names_follow_dbt()
    {
        project.WriteChecks("""
            version: 2
            models:
              - name: stg_orders
                data_tests:
                  - dbt_utils.expression_is_true:
                      arguments: {expression: "amount < 1000"}
                      config: {severity: warn, where: "order_id > 0"}
                columns:
                  - name: status
                    data_tests:
                      - accepted_values:
                          arguments:
                            values: [placed, shipped]
                          config:
                            store_failures: true
                      - accepted_values: {values: [placed]}
            """);
        var checks = project.Parse().Checks;
        var expression = checks.Single(c => c.Name == "expression_is_true_stg_orders");
        Assert.Equal((Core.Checks.CheckSeverity.Warn, "order_id > 0"), (expression.Severity, expression.Where));
        Assert.True(checks.Single(c => c.Name == "accepted_values_stg_orders_status").StoreFailures);
        Assert.Contains(checks, c => c.Name == "accepted_values_stg_orders_status_2");
    }
}
