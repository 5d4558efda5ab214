using Sluice.Core.Models;
using Sluice.Core.Models.Compatibility;
using Sluice.Core.Project;

namespace Sluice.Core.Tests.Models;

public sealed class CompatibilityAnalysisTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("sluice-compat-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private void Write(string path, string text)
    {
        var full = Path.Combine(_directory, path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, text);
    }

    private SluiceProject Load() => ProjectLoader.Load(_directory, _ => null);

    private CompatibilityReport Analyze() => CompatibilityAnalysis.Run(Load());

    private List<string> Lines() => Lines(Analyze());

    private static List<string> Lines(CompatibilityReport report) => [.. report.Findings.Select(f => $"{f.File}:{f.Line}:{f.Column}: {f.Construct}")];

    private void DbtProject(string extra = "") => Write("dbt_project.yml", $"name: shop\nprofile: shop\nvars:\n  limit: 5\n{extra}");

    [Fact]
    public void A_project_Sluice_runs_has_no_findings_and_parses()
    {
        DbtProject("models:\n  shop:\n    +materialized: view\n    marts:\n      +materialized: table\n      +meta: {owner: data}\n");
        Write("models/staging/stg_orders.sql", "select 1 as id, current_date as day");
        Write("models/marts/orders.sql", """
            {{ config(materialized='incremental', unique_key='id', incremental_strategy='merge', on_schema_change='append_new_columns') }}
            {%- set columns = ['id', 'day'] -%}
            {%- set ns = namespace(n=0) -%}
            select
            {% for column in columns %}{% set ns.n = ns.n + loop.index %}{{ column }}{{ ',' if not loop.last }}{% endfor %}
            , '{{ modules.datetime.date.today().strftime('%Y') }}' as year
            , '{{ modules.re.sub('[^a-z]', '_', target.name) }}' as target_name
            , {{ cents('id') }} as cents
            from {{ ref('stg_orders') }}
            {% if is_incremental() %} where day > (select max(day) from {{ this }}) {% endif %}
            {% if my_flag is defined and my_flag %} and 1 = 1 {% endif %}
            limit {{ var('limit') | default(10) }}
            """);
        Write("macros/money.sql", """
            {% macro cents(column, scale=100) %}{{ column }} * {{ scale }}{{ varargs | length }}{{ kwargs | length }}{% endmacro %}
            {% macro wrap() %}({{ caller() }}){% endmacro %}
            {% macro use_wrap() %}{% call(x) wrap() %}{{ x }}{% endcall %}{{ log('hi') }}{{ return(adapter.quote('a')) }}{% endmacro %}
            """);
        Write("models/marts/schema.yml", "version: 2\nmodels:\n  - name: orders\n    config:\n      tags: [daily]\n    columns:\n      - name: id\n        tests: [not_null, unique, {accepted_range: {min_value: 0}}]\n");
        Write("snapshots/orders_history.sql", "{% snapshot orders_history %}\n{{ config(unique_key='id', strategy='check', check_cols='all', target_schema='history') }}\nselect * from {{ ref('orders') }}\n{% endsnapshot %}\n");

        Assert.Empty(Lines());
        Assert.Equal(3, ProjectParser.Parse(Load()).Nodes.Count);
    }

    [Fact]
    public void Every_unsupported_construct_of_a_template_is_listed_at_its_place()
    {
        DbtProject();
        Write("models/orders.sql", """
            {{ config(materialized='insert_by_period', incremental_predicates=['x'], incremental_strategy='microbatch') }}
            {% include 'header.sql' %}
            select {{ 'a' | slugify }}, {{ 1 if x is prime }}, {{ ['a'] | map('shout') | list }}
            from {{ ref('customers', v=2) }}, {{ ref('other_project', 'customers') }}
            {% for n in graph.nodes.values() %}{{ n }}{% endfor %}
            {{ adapter.get_relations_by_pattern('s', 't') }} {{ modules.os.getcwd() }} {{ target.dbname }} {{ store_result('x') }}
            """);

        Assert.Equal(
            [
                "models/orders.sql:1:24: materialized 'insert_by_period'",
                "models/orders.sql:1:67: config 'incremental_predicates'",
                "models/orders.sql:1:95: incremental_strategy 'microbatch'",
                "models/orders.sql:2:4: tag {% include %}",
                "models/orders.sql:3:17: filter 'slugify'",
                "models/orders.sql:3:37: name 'x'",
                "models/orders.sql:3:39: Jinja test 'prime'",
                "models/orders.sql:3:67: filter 'shout'",
                "models/orders.sql:4:9: ref() with a version",
                "models/orders.sql:4:38: ref('other_project', …)",
                "models/orders.sql:5:13: name 'graph'",
                "models/orders.sql:6:4: adapter.get_relations_by_pattern",
                "models/orders.sql:6:53: modules.os",
                "models/orders.sql:6:79: target.dbname",
                "models/orders.sql:6:99: name 'store_result'",
            ],
            Lines());
    }

    [Fact]
    public void Each_finding_says_what_to_do()
    {
        DbtProject();
        Write("models/orders.sql", "select {{ 'x' | slugify }} {{ store_result('r') }} {{ adapter.get_relations_by_pattern('s', 't') }}");

        var findings = Analyze().Findings.Select(f => f.ToString()).ToList();

        Assert.Equal(3, findings.Count);
        Assert.StartsWith("models/orders.sql:1:17: filter 'slugify' — Sluice's filters are abs, as_bool,", findings[0], StringComparison.Ordinal);
        Assert.StartsWith("models/orders.sql:1:31: name 'store_result' — run the query with {% call statement('name', fetch_result=True) %}", findings[1], StringComparison.Ordinal);
        Assert.StartsWith("models/orders.sql:1:55: adapter.get_relations_by_pattern — adapter.get_relations_by_pattern is not supported; Sluice's adapter has dispatch,", findings[2], StringComparison.Ordinal);
    }

    [Fact]
    public void Run_started_at_is_a_datetime_and_a_strings_missing_method_is_reported()
    {
        DbtProject();
        Write("models/a.sql", "select '{{ run_started_at.strftime('%Y') }}', '{{ run_started_at.upper() }}', '{{ invocation_id.hex() }}'");

        var findings = Analyze().Findings;

        Assert.Equal(["models/a.sql:1:51: run_started_at.upper", "models/a.sql:1:83: invocation_id.hex"], findings.Select(f => $"{f.File}:{f.Line}:{f.Column}: {f.Construct}"));
        Assert.StartsWith("invocation_id is a string in Sluice, whose methods are lower, upper,", findings[1].Advice, StringComparison.Ordinal);
    }

    [Fact]
    public void Names_a_template_defines_are_not_reported()
    {
        DbtProject();
        Write("macros/m.sql", """
            {% macro m(a, b=a) %}{{ a }}{{ b }}{{ caller() }}{{ varargs }}{{ kwargs }}{% set c = 1 %}{{ c }}{% endmacro %}
            {% macro n() %}{% call(row) m(1) %}{{ row }}{% endcall %}{{ top }}{{ m(2) }}{% endmacro %}
            {% set top = 1 %}
            """);
        Write("models/a.sql", """
            {% set x, y = 1, 2 %}{% set block %}text{% endset %}
            {% for k, v in {'a': 1}.items() if v %}{{ k }}{{ v }}{{ loop.index }}{% set inner = 3 %}{{ inner }}{% else %}none{% endfor %}
            {% if z is defined %}{{ z }}{% endif %}{{ w | default('w') }}{{ u.v is defined }}
            {% if true %}{% set later = 1 %}{% endif %}{{ later }}{{ x }}{{ y }}{{ block }}
            select 1
            """);

        Assert.Empty(Lines());
    }

    [Fact]
    public void A_file_that_does_not_parse_is_one_finding_and_the_other_files_are_still_read()
    {
        DbtProject();
        Write("models/a.sql", "select {% if x %} 1");
        Write("models/b.sql", "select {{ 1 | slugify }}");
        Write("macros/bad.sql", "{% macro m( %}{% endmacro %}");
        Write("macros/good.sql", "{% macro g() %}{{ graph }}{% endmacro %}");

        var findings = Analyze().Findings;

        Assert.Equal(["macros/bad.sql:1:13", "macros/good.sql:1:19", "models/a.sql:1:11", "models/b.sql:1:15"], findings.Select(f => $"{f.File}:{f.Line}:{f.Column}"));
        Assert.Equal("template that does not parse", findings[0].Construct);
        Assert.Equal([true, false, true, false], findings.Select(f => f.Unreadable));
        Assert.Contains("'{% if %}' is not closed", findings[2].Advice, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_tags_are_all_listed_and_the_rest_of_the_file_is_still_read()
    {
        DbtProject();
        Write("macros/mat.sql", """
            {% materialization insert_by_period, default %}
            {{ should_full_refresh() }} {{ make_temp_relation(this) }}
            {% endmaterialization %}
            {% from 'helpers.sql' import helper %}
            {% macro m() %}{% with a = 1 %}{{ a }}{{ helper() }}{% endwith %}{{ 1 | shout }}{% endmacro %}
            """);

        Assert.Equal(
            [
                "macros/mat.sql:1:4: custom materialization 'insert_by_period'",
                "macros/mat.sql:4:4: tag {% from %}",
                "macros/mat.sql:5:19: tag {% with %}",
                "macros/mat.sql:5:73: filter 'shout'",
            ],
            Lines());
    }

    [Fact]
    public void Package_calls_are_checked_against_whats_installed_built_in_or_missing()
    {
        DbtProject();
        Write("packages.yml", "packages:\n  - package: fivetran/fivetran_utils\n    version: 0.4.0\n  - package: dbt-labs/dbt_utils\n    version: 1.1.1\n");
        Write("dbt_packages/helpers/dbt_project.yml", "name: helpers\n");
        Write("dbt_packages/helpers/macros/reached.sql", "{% macro used() %}{{ graph }}{{ adapter.dispatch('inner', 'helpers')() }}{% endmacro %}\n{% macro unused() %}{{ selected_resources }}{% endmacro %}");
        Write("dbt_packages/helpers/macros/inner.sql", "{% macro default__inner() %}{{ modules.sys }}{% endmacro %}");
        Write("models/a.sql", "select {{ helpers.used() }}, {{ fivetran_utils.fill_staging_columns() }}, {{ dbt_utils.no_such_macro() }}, {{ dbt_date.today() }}, {{ adapter.dispatch('nowhere')() }}, {{ helpers.missing() }}");

        var findings = Analyze();

        Assert.Equal(
            [
                "dbt_packages/helpers/macros/inner.sql:1:32: modules.sys",
                "dbt_packages/helpers/macros/reached.sql:1:22: name 'graph'",
                "models/a.sql:1:33: fivetran_utils.fill_staging_columns",
                "models/a.sql:1:78: dbt_utils.no_such_macro",
                "models/a.sql:1:111: dbt_date.today",
                "models/a.sql:1:135: adapter.dispatch('nowhere')",
                "models/a.sql:1:172: helpers.missing",
            ],
            Lines(findings));
        Assert.Contains("'fivetran/fivetran_utils' (packages.yml:2), which is not installed", findings.Findings[2].Advice, StringComparison.Ordinal);
        Assert.Contains("declare it in packages.yml", findings.Findings[4].Advice, StringComparison.Ordinal);
    }

    [Fact]
    public void Project_and_property_files_are_read_for_configs_tests_versions_and_python_models()
    {
        DbtProject("models:\n  shop:\n    +incremental_predicates: ['a']\n    marts:\n      +materialized: insert_by_period\n      +on_schema_change: sync_all_columns\n      +post-hook: \"{{ grant_select(this) }}\"\n");
        Write("models/marts/orders.sql", "select 1 as id");
        Write("models/marts/score.py", "def model(dbt, session):\n    return None\n");
        Write("models/marts/schema.yml", """
            version: 2
            models:
              - name: orders
                versions:
                  - v: 2
                config:
                  incremental_strategy: insert_overwrite
                columns:
                  - name: id
                    data_tests:
                      - dbt_expectations.expect_column_to_exist
                      - dbt_utils.accepted_range: {min_value: 0}
            sources:
              - name: app
                tables:
                  - name: users
                    tests: [custom_check]
            unit_tests:
              - name: t
            """);

        var report = Analyze();

        Assert.Equal(
            [
                "dbt_project.yml:7:5: config 'incremental_predicates'",
                "dbt_project.yml:9:7: materialized 'insert_by_period'",
                "dbt_project.yml:10:7: on_schema_change 'sync_all_columns'",
                "dbt_project.yml:11:23: name 'grant_select'",
                "models/marts/schema.yml:4:5: model versions",
                "models/marts/schema.yml:7:7: incremental_strategy 'insert_overwrite'",
                "models/marts/schema.yml:11:13: data test 'dbt_expectations.expect_column_to_exist'",
                "models/marts/schema.yml:17:17: data test 'custom_check'",
                "models/marts/score.py:1:1: Python model",
            ],
            Lines(report));
        Assert.Contains("models/marts/schema.yml:18: unit_tests (dbt's unit tests are not run)", report.Ignored);
        Assert.Contains("dbt_project.yml:2: profile", report.Ignored);
    }

    [Fact]
    public void Generic_tests_written_as_macros_and_package_tests_are_not_reported()
    {
        DbtProject();
        Write("packages.yml", "packages:\n  - package: calogica/dbt_expectations\n    version: 0.10.0\n");
        Write("tests/generic/custom_check.sql", "{% test custom_check(model, column_name) %}select * from {{ model }} where {{ column_name }} < 0{% endtest %}");
        Write("models/orders.sql", "select 1 as id");
        Write("models/schema.yml", """
            version: 2
            models:
              - name: orders
                columns:
                  - name: id
                    data_tests:
                      - custom_check
                      - dbt_expectations.expect_column_values_to_be_between: {min_value: 0}
                      - dbt_expectations.expect_nothing
                      - other_check
            """);

        Assert.Equal(
            ["models/schema.yml:9:13: data test 'dbt_expectations.expect_nothing'", "models/schema.yml:10:13: data test 'other_check'"],
            Lines(Analyze()));
    }

    [Fact]
    public void The_summary_names_packages_macros_overrides_and_dispatch()
    {
        DbtProject("dispatch:\n  - macro_namespace: dbt_utils\n    search_order: [shop, dbt_utils]\n");
        Write("packages.yml", "packages:\n  - package: dbt-labs/dbt_utils\n    version: 1.1.1\n  - package: acme/gone\n    version: 1.0.0\n");
        Write("dbt_packages/helpers/dbt_project.yml", "name: helpers\n");
        Write("dbt_packages/helpers/macros/h.sql", "{% macro h() %}{% endmacro %}{% macro generate_schema_name(custom, node) %}{% endmacro %}");
        Write("macros/naming.sql", "{% macro generate_schema_name(custom_schema_name, node) %}{{ custom_schema_name or target.schema }}{% endmacro %}\n{% macro generate_database_name(custom, node) %}{% endmacro %}\n{% macro h() %}{% endmacro %}");
        Write("models/a.sql", "select 1");

        var report = Analyze();

        Assert.Equal(
            [
                new PackageSummary("shop", PackageOrigin.Project, "", 3),
                new PackageSummary("helpers", PackageOrigin.Installed, "dbt_packages/helpers", 2),
                new PackageSummary("dbt", PackageOrigin.BuiltIn, "", report.Packages[2].Macros),
                new PackageSummary("dbt_utils", PackageOrigin.BuiltIn, "", report.Packages[3].Macros),
                new PackageSummary("gone", PackageOrigin.Missing, "packages.yml:4", 0),
            ],
            report.Packages);
        Assert.True(report.Packages[2].Macros > 0);
        Assert.Equal(
            [
                new MacroOverride("generate_database_name", "macros/naming.sql:2", "ignored: Sluice builds every model in the target's database"),
                new MacroOverride("generate_schema_name", "macros/naming.sql:1", "names the schema of every model, seed and snapshot"),
                new MacroOverride("h", "macros/naming.sql:3", "replaces helpers.h"),
            ],
            report.Overrides);
        Assert.Equal(["shop", "dbt_utils"], report.Dispatch["dbt_utils"]);
        Assert.Empty(report.Findings);
    }

    [Fact]
    public void A_project_file_Sluice_cannot_read_is_a_finding_and_the_files_are_read_with_dbts_folders()
    {
        DbtProject("semantic-layer: true\n");
        Write("models/a.sql", "select {{ 1 | slugify }}");

        var findings = Analyze().Findings;

        Assert.Equal(["dbt_project.yml:5:1: file Sluice cannot read", "models/a.sql:1:15: filter 'slugify'"], findings.Select(f => $"{f.File}:{f.Line}:{f.Column}: {f.Construct}"));
    }
}
