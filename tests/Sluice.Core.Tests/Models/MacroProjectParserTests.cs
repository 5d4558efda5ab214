using Sluice.Core.Models;
using Sluice.Core.Project;
using Sluice.Core.Templating;

namespace Sluice.Core.Tests.Models;

/// <summary>A dbt project's macros, packages and naming overrides, as the parser reads them.</summary>
public sealed class MacroProjectParserTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("sluice-macros-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private void Write(string path, string text)
    {
        var full = Path.Combine(_directory, path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, text);
    }

    private ParsedProject Parse() => ProjectParser.Parse(ProjectLoader.Load(_directory, _ => null));

    private void DbtProject(string extra = "") => Write("dbt_project.yml", $"name: demo\nprofile: demo\n{extra}");

    [Fact]
    public void Schema_and_alias_overrides_name_every_node_as_the_project_says()
    {
        DbtProject("models:\n  demo:\n    marts:\n      +schema: marts\n");
        Write("macros/naming.sql", """
            {% macro generate_schema_name(custom_schema_name, node) -%}
                {%- if custom_schema_name is none -%}{{ target.schema }}{%- else -%}{{ node.resource_type }}_{{ custom_schema_name | trim }}{%- endif -%}
            {%- endmacro %}
            {% macro generate_alias_name(custom_alias_name=none, node=none) -%}
                {%- if custom_alias_name -%}{{ custom_alias_name }}{%- else -%}{{ node.name ~ '_v2' if 'v2' in node.tags else node.name }}{%- endif -%}
            {%- endmacro %}
            """);
        Write("models/marts/orders.sql", "{{ config(tags=['v2']) }}select 1 as id");
        Write("models/marts/customers.sql", "{{ config(alias='clients') }}select 1 as id");
        Write("models/stg.sql", "select * from {{ ref('orders') }}");

        var project = Parse();

        Assert.Equal("model_marts.orders_v2", project.Nodes["orders"].Table.ToString());
        Assert.Equal("model_marts.clients", project.Nodes["customers"].Table.ToString());
        Assert.Equal("main.stg", project.Nodes["stg"].Table.ToString());
    }

    [Fact]
    public void Dispatch_picks_the_warehouses_implementation_then_the_default_in_the_search_order()
    {
        DbtProject("dispatch:\n  - macro_namespace: tools\n    search_order: [demo, tools]\n");
        Write("dbt_packages/tools/dbt_project.yml", "name: tools\n");
        Write("dbt_packages/tools/macros/m.sql", """
            {% macro label() %}{{ return(adapter.dispatch('label', 'tools')()) }}{% endmacro %}
            {% macro default__label() %}tools-default{% endmacro %}
            {% macro duckdb__label() %}tools-duckdb{% endmacro %}
            {% macro width() %}{{ return(adapter.dispatch('width', 'tools')()) }}{% endmacro %}
            {% macro default__width() %}tools-width{% endmacro %}
            """);
        Write("macros/override.sql", "{% macro default__width() %}demo-width{% endmacro %}");
        Write("models/a.sql", "select '{{ tools.label() }}' as l, '{{ tools.width() }}' as w");

        var project = Parse();
        var sql = Render(project, "a");

        // The project's default comes before the package's in the search order, but the package's
        // duckdb implementation of label wins over any default.
        Assert.Equal("select 'tools-duckdb' as l, 'demo-width' as w", sql);
    }

    [Fact]
    public void Dispatch_without_an_implementation_names_every_macro_it_looked_for()
    {
        DbtProject();
        Write("macros/m.sql", "{% macro size() %}{{ return(adapter.dispatch('size')()) }}{% endmacro %}");
        Write("models/a.sql", "select {{ size() }}");

        var error = Assert.Throws<TemplateException>(Parse);

        Assert.Equal("macros/m.sql", error.File);
        Assert.Contains("adapter.dispatch('size') found no implementation; looked for demo.duckdb__size, demo.default__size, dbt.duckdb__size, dbt.default__size", error.Message);
        Assert.Contains("in macro 'demo.size' called at models/a.sql:1:11", error.Message);
    }

    [Fact]
    public void A_package_neither_installed_nor_built_in_is_one_error_listing_every_call()
    {
        DbtProject();
        Write("packages.yml", "packages:\n  - package: fivetran/ad_reporting\n    version: 1.0.0\n  - package: dbt-labs/dbt_utils\n    version: 1.3.0\n");
        Write("models/a.sql", "select {{ ad_reporting.spend('x') }}, {{ dbt_utils.safe_add(['1', '2']) }}");
        Write("models/b.sql", "select 1\n-- {{ ad_reporting.clicks() }}");

        var error = Assert.Throws<ConfigurationException>(Parse);

        Assert.StartsWith("models/a.sql:1:11: the project calls macros of packages that are not installed", error.Message);
        Assert.Contains("'fivetran/ad_reporting' (packages.yml:2)", error.Message);
        Assert.Contains("ad_reporting.spend (models/a.sql:1:11), ad_reporting.clicks (models/b.sql:2:7)", error.Message);
        Assert.DoesNotContain("dbt_utils.safe_add", error.Message);
    }

    [Fact]
    public void A_built_in_package_must_be_declared_and_then_needs_no_install()
    {
        DbtProject();
        Write("models/a.sql", "select {{ dbt_utils.safe_add(['1', '2']) }} as n");
        Assert.Contains("'dbt_utils.safe_add' needs the package dbt_utils: declare it in packages.yml", Assert.Throws<TemplateException>(Parse).Message);

        Write("dependencies.yml", "packages:\n  - package: dbt-labs/dbt_utils\n    version: [\">=1.0.0\", \"<2.0.0\"]\n");
        Assert.Equal("select coalesce(1, 0) +\n  coalesce(2, 0) as n", Render(Parse(), "a"));
        Assert.Contains("the package 'dbt_utils' has no macro 'safe_multiply'", Assert.Throws<TemplateException>(() =>
        {
            Write("models/b.sql", "select {{ dbt_utils.safe_multiply(['1']) }}");
            Parse();
        }).Message);
    }

    [Fact]
    public void An_installed_package_brings_its_macros_models_and_configs()
    {
        DbtProject("models:\n  helpers:\n    +schema: shared\n");
        Write("packages.yml", "packages:\n  - git: https://github.com/acme/dbt-helpers.git\n    revision: 0.1.0\n");
        Write("dbt_packages/helpers/dbt_project.yml", "name: helpers\nmodels:\n  helpers:\n    +materialized: table\n    +tags: [from_package]\n");
        Write("dbt_packages/helpers/macros/m.sql", "{% macro twice(x) %}({{ x }}) * 2{% endmacro %}");
        Write("dbt_packages/helpers/models/calendar.sql", "select {{ twice(21) }} as answer");
        Write("models/a.sql", "select * from {{ ref('calendar') }} where answer = {{ helpers.twice(21) }}");

        var project = Parse();
        var calendar = project.Nodes["calendar"];

        Assert.Equal("helpers", calendar.Package);
        Assert.Equal("main_shared.calendar", calendar.Table.ToString());
        Assert.Equal(Materialization.Table, calendar.Config.Materialized);
        Assert.Equal(["from_package"], calendar.Config.Tags);
        Assert.Equal(["calendar"], project.Graph.ParentsOf("a"));
        Assert.Equal("select * from \"main_shared\".\"calendar\" where answer = (21) * 2", Render(project, "a"));
    }

    [Fact]
    public void Jinja_in_configs_is_rendered_with_vars_and_the_target()
    {
        DbtProject("vars:\n  load_extra: false\nmodels:\n  demo:\n    extra:\n      +enabled: \"{{ var('load_extra', false) }}\"\n      +schema: \"{{ target.name }}_extra\"\n");
        Write("models/extra/x.sql", "select 1");
        Write("models/y.sql", "select 1");
        Write("models/props.yml", "version: 2\nmodels:\n  - name: y\n    config:\n      alias: \"{{ 'why' if var('load_extra') is false else 'y' }}\"\n");

        var project = Parse();

        Assert.False(project.Nodes.ContainsKey("x"));
        Assert.Contains("x", project.Disabled);
        Assert.Equal("main.why", project.Nodes["y"].Table.ToString());
    }

    [Fact]
    public void A_database_override_may_name_only_the_targets_database()
    {
        DbtProject();
        Write("macros/db.sql", "{% macro generate_database_name(custom_database_name=none, node=none) %}{{ custom_database_name or target.database }}{% endmacro %}");
        Write("models/a.sql", "select 1");
        Assert.Equal("main.a", Parse().Nodes["a"].Table.ToString());

        Write("models/b.sql", "{{ config(database='analytics') }}select 1");
        var error = Assert.Throws<ConfigurationException>(Parse);

        Assert.StartsWith("models/b.sql: 'b' would be built in the database 'analytics' (macros/db.sql: generate_database_name), but Sluice builds every model in the target's database 'warehouse'", error.Message);
    }

    [Fact]
    public void A_source_over_a_seeds_table_depends_on_the_seed()
    {
        DbtProject("seeds:\n  demo:\n    +schema: raw\n");
        Write("macros/naming.sql", "{% macro generate_schema_name(custom_schema_name, node) %}{{ custom_schema_name | trim if custom_schema_name else target.schema }}{% endmacro %}");
        Write("seeds/raw_stores.csv", "id,name\n1,Brooklyn\n");
        Write("models/sources.yml", "version: 2\nsources:\n  - name: ecom\n    schema: raw\n    tables:\n      - name: raw_stores\n      - name: raw_other\n");
        Write("models/stg_locations.sql", "select * from {{ source('ecom', 'raw_stores') }} join {{ source('ecom', 'raw_other') }} using (id)");

        var project = Parse();

        Assert.Equal("raw.raw_stores", project.Nodes["raw_stores"].Table.ToString());
        Assert.Equal(["raw_stores"], project.Graph.ParentsOf("stg_locations"));
    }

    [Fact]
    public void A_custom_materialization_in_a_macro_file_is_left_out_and_its_macros_still_load()
    {
        DbtProject();
        Write("macros/m.sql", """
            {% materialization insert_only, adapter='postgres' -%}
              {%- set target = this.incorporate(type='table') -%}
              {% call statement('main') %}insert into {{ target }} {{ sql }}{% endcall %}
              {{ return({'relations': [target]}) }}
            {%- endmaterialization %}
            {% macro answer() %}42{% endmacro %}
            """);
        Write("models/a.sql", "select {{ answer() }} as n");

        Assert.Equal("select 42 as n", Render(Parse(), "a"));
    }

    [Fact]
    public void A_macro_defined_twice_in_a_package_is_an_error_naming_both_places()
    {
        DbtProject();
        Write("macros/a.sql", "{% macro m() %}1{% endmacro %}");
        Write("macros/b.sql", "\n{% macro m() %}2{% endmacro %}");

        var error = Assert.Throws<ConfigurationException>(Parse);

        Assert.Equal("macros/b.sql:2: the macro 'm' is also defined in macros/a.sql:1; a package defines each macro once, so rename or remove one.", error.Message);
    }

    [Fact]
    public void Config_get_model_and_log_work_in_a_model()
    {
        DbtProject();
        Write("models/a.sql", "{{ config(materialized='table', meta={'owner': 'finance'}) }}{{ log('building ' ~ model.name) }}select '{{ config.get('materialized') }}' as m, '{{ model.config.meta.owner }}' as o, '{{ model.unique_id }}' as u, '{{ config.get('missing', 'fallback') }}' as f");

        Assert.Equal("select 'table' as m, 'finance' as o, 'model.demo.a' as u, 'fallback' as f", Render(Parse(), "a"));
    }

    [Fact]
    public void Run_started_at_is_a_utc_datetime_as_in_dbt()
    {
        DbtProject();
        Write("models/a.sql", "select '{{ run_started_at.strftime('%Y-%m-%d %H:%M') }}' as day, '{{ run_started_at.tzname() }}' as zone, '{{ (run_started_at + modules.datetime.timedelta(days=1)).date() }}' as tomorrow");

        var sql = Render(Parse(), "a", new DateTimeOffset(2025, 3, 31, 23, 30, 0, TimeSpan.Zero));

        Assert.Equal("select '2025-03-31 23:30' as day, 'UTC' as zone, '2025-04-01' as tomorrow", sql);
    }

    private static string Render(ParsedProject project, string model, DateTimeOffset? startedAt = null)
    {
        var node = project.Nodes[model];
        var context = new TemplateContext
        {
            Vars = project.Vars,
            Environment = _ => null,
            Target = project.Target,
            This = new Relation(node.Table),
            ProjectName = project.Settings.ProjectName,
            Macros = project.Macros,
            Package = node.Package,
            Node = node.ToTemplateValue(project.Settings.ProjectName),
            ConfigValue = key => node.Config.Raw.GetValueOrDefault(key),
            Execute = true,
            RunStartedAt = startedAt ?? DateTimeOffset.UnixEpoch,
            Ref = (_, name) => new Relation(project.Nodes[name].Table),
            Source = (call, source, table) => new Relation(project.ResolveSource(call, source, table)),
        };
        return TemplateRenderer.Render(node.Source!, node.Template, context.ToEnvironment()).Trim();
    }
}
