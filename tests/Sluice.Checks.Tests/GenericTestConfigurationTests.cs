using Sluice.Core.Checks;
using Sluice.Core.Project;

namespace Sluice.Checks.Tests;

/// <summary>
/// Generic tests declared wrongly stop before anything runs, naming the file, line and column
/// and, for arguments, the macro's parameters.
/// </summary>
public sealed class GenericTestConfigurationTests(DuckDbGenericProject project) : IClassFixture<DuckDbGenericProject>
{
    [Theory]
    [InlineData(
        "tests:\n          - is_positive: {allow_zeros: true}",
        "models/checks.yml:7:27: the test 'is_positive' on 'stg_orders', column 'amount': 'allow_zeros' is not an argument of its macro generic.test_is_positive (macros/generic_tests.sql:2), which takes allow_zero (optional).")]
    [InlineData(
        "tests: [has_orders]",
        "models/checks.yml:6:17: the test 'has_orders' on 'stg_orders', column 'amount' needs orders: its macro generic.test_has_orders (tests/generic/has_orders.sql:2) takes orders, key (optional).")]
    [InlineData(
        "tests:\n          - is_positive: {mostly: 0.9}",
        "models/checks.yml:7:35: the test 'is_positive' on 'stg_orders', column 'amount': mostly applies to Sluice's own checks, which count the rows in scope; a generic test's SQL returns only its failing rows")]
    [InlineData(
        "tests:\n          - is_positive: {config: {mostly: 0.9}}",
        "models/checks.yml:7:44: the test 'is_positive' on 'stg_orders', column 'amount': mostly applies to Sluice's own checks")]
    [InlineData(
        "tests:\n          - is_positive: {model: ref('stg_orders')}",
        "models/checks.yml:7:27: the test 'is_positive' on 'stg_orders', column 'amount': model is not an argument to give")]
    [InlineData(
        "tests:\n          - is_positive: {warn_if: 'count > 1'}",
        "models/checks.yml:7:36: warn_if must be a comparison with a number, such as '!= 0' or '>10', not 'count > 1'.")]
    [InlineData(
        "tests:\n          - has_orders: {orders: ref('nowhere')}",
        "models/checks.yml:7:34: orders: ref('nowhere') names no model, seed or snapshot of this project.")]
    [InlineData(
        "tests:\n          - has_orders: {orders: ref('stg_orders'), arguments: {orders: ref('stg_orders')}}",
        "models/checks.yml:7:65: 'orders' is given twice for this test")]
    [InlineData(
        "tests:\n          - is_positive: 5",
        "models/checks.yml:7:26: the arguments of the test 'is_positive' must be a mapping, such as `- is_positive: {config: {severity: warn}}`.")]
    [InlineData(
        "tests: [dbt_utils.no_such_test]",
        "models/checks.yml:6:17: the package 'dbt_utils' has no generic test 'no_such_test' (a macro test_no_such_test); its tests are at_least_one, cardinality_equality, equal_rowcount, equality, fewer_rows_than")]
    [InlineData(
        "tests: [dbt_date.is_a_date]",
        "models/checks.yml:6:17: the test 'dbt_date.is_a_date': 'dbt_date.is_a_date' needs the package dbt_date: declare it in packages.yml")]
    [InlineData(
        "tests: [nowhere.is_positive]",
        "models/checks.yml:6:17: the test 'nowhere.is_positive': there is no package 'nowhere' (the packages are dbt, dbt_expectations, dbt_utils, generic).")]
    [InlineData(
        "tests: [is_positiv]",
        "models/checks.yml:6:17: unknown check 'is_positiv' on 'stg_orders', column 'amount'; the checks are not_null, unique, accepted_values, relationships, accepted_range, expression_is_true, regex, unique_combination_of_columns, not_empty, row_count, freshness, parity, and the project's generic tests has_orders, is_positive")]
    [InlineData(
        "tests: [dbt_utils.equal_rowcount]",
        "models/checks.yml:6:17: the test 'dbt_utils.equal_rowcount' on 'stg_orders', column 'amount': its macro dbt_utils.test_equal_rowcount (<sluice>/dbt_utils/tests.sql:9) takes no column_name, so it tests the table as a whole; declare it under the model's tests:, not under a column.")]
    public void A_bad_generic_test_names_file_line_and_fix(string tests, string expected)
    {
        project.WriteChecks($"version: 2\nmodels:\n  - name: stg_orders\n    columns:\n      - name: amount\n        {tests}\n");
        var error = Assert.Throws<ConfigurationException>(() => project.Parse());
        Assert.True(error.Message.StartsWith(expected, StringComparison.Ordinal), error.Message);
    }

    [Fact]
    public void A_column_test_declared_on_the_model_needs_a_column()
    {
        project.WriteChecks("version: 2\nmodels:\n  - name: stg_orders\n    tests:\n      - is_positive\n");
        var error = Assert.Throws<ConfigurationException>(() => project.Parse());
        Assert.StartsWith("models/checks.yml:5:9: the test 'is_positive' on 'stg_orders' needs a column: declare it under a column's tests:, or add `column_name: …`.", error.Message);

        project.WriteChecks("version: 2\nmodels:\n  - name: stg_orders\n    tests:\n      - is_positive: {column_name: amount}\n");
        var check = Assert.Single(project.Parse().Checks, c => c.Kind is MacroCheck);
        Assert.Equal(("amount", "is_positive_stg_orders_amount"), (check.Column, check.Name));
    }

    [Fact]
    public void A_test_without_model_or_column_parameters_is_still_called()
    {
        project.WriteFile("macros/extra.sql", "{% test always_passes() %}select 1 as x where false{% endtest %}");
        try
        {
            project.WriteChecks("version: 2\nmodels:\n  - name: stg_orders\n    tests: [always_passes]\n");
            Assert.Single(project.Parse().Checks, c => c.Kind is MacroCheck);
        }
        finally
        {
            project.WriteFile("macros/extra.sql", null);
        }
    }

    [Fact]
    public void Package_tests_are_named_with_the_package_first_and_read_every_form()
    {
        project.WriteChecks("""
            version: 2
            models:
              - name: stg_orders
                data_tests:
                  - dbt_utils.equal_rowcount:
                      arguments:
                        compare_model: ref('orders')
                      config:
                        severity: warn
                        warn_if: ">= 2"
                        error_if: "== 10"
                        fail_calc: "sum(model_row_count)"
                        limit: 5
                        tags: [rows]
                        where: "order_id > 0"
                        store_failures: true
                columns:
                  - name: customer_id
                    data_tests:
                      - relationships: {to: ref('stg_customers'), field: customer_id}
                      - dbt_utils.relationships_where: {to: ref('stg_customers'), field: customer_id, from_condition: "customer_id <> 99"}
            sources:
              - name: raw
                schema: main
                tables:
                  - name: orders
                    columns:
                      - name: coupon
                        tests: [dbt_utils.at_least_one]
            """);
        var checks = project.Parse().Checks;
        var rows = checks.Single(c => c.Name == "dbt_utils_equal_rowcount_stg_orders");
        var kind = Assert.IsType<MacroCheck>(rows.Kind);
        Assert.Equal(("dbt_utils.equal_rowcount", ">= 2", "= 10", "sum(model_row_count)", 5L), (rows.Type, kind.WarnIf, kind.ErrorIf, kind.FailCalc, kind.Limit));
        Assert.Equal((CheckSeverity.Warn, "order_id > 0", true), (rows.Severity, rows.Where, rows.StoreFailures));
        Assert.Equal(["rows"], rows.Tags);
        Assert.Equal(["stg_orders", "orders"], rows.Models);
        Assert.Equal(new TemplateArgument("ref('orders')", "ref('orders')"), kind.Arguments["compare_model"]);
        Assert.IsType<RelationshipsCheck>(checks.Single(c => c.Name == "relationships_stg_orders_customer_id").Kind);
        Assert.IsType<MacroCheck>(checks.Single(c => c.Name == "dbt_utils_relationships_where_stg_orders_customer_id").Kind);
        Assert.Contains(checks, c => c.Name == "dbt_utils_source_at_least_one_raw_orders_coupon");
    }

    [Fact]
    public void A_project_without_the_package_is_told_to_declare_it()
    {
        var packages = Path.Combine(project.ProjectDirectory, "packages.yml");
        var text = File.ReadAllText(packages);
        File.Delete(packages);
        try
        {
            project.WriteChecks("version: 2\nmodels:\n  - name: stg_orders\n    columns:\n      - name: amount\n        tests: [dbt_expectations.expect_column_values_to_not_be_null]\n");
            var error = Assert.Throws<ConfigurationException>(() => project.Parse());
            Assert.StartsWith("models/checks.yml:6:17: the test 'dbt_expectations.expect_column_values_to_not_be_null': 'dbt_expectations.expect_column_values_to_not_be_null' needs the package dbt_expectations: declare it in packages.yml", error.Message);
        }
        finally
        {
            File.WriteAllText(packages, text);
        }
    }

    [Fact]
    public void A_file_of_generic_tests_in_test_paths_is_no_singular_check()
    {
        project.WriteChecks(null);
        var names = project.Parse().Checks.Select(c => c.Name).ToList();
        Assert.Contains("assert_amounts_below_1000", names);
        Assert.DoesNotContain("has_orders", names);
    }
}
