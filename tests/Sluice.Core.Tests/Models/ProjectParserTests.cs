using Sluice.Core.Models;
using Sluice.Core.Project;

namespace Sluice.Core.Tests.Models;

public sealed class ProjectParserTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("sluice-parse-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private void Write(string path, string text)
    {
        var full = Path.Combine(_directory, path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, text);
    }

    private ParsedProject Parse(Func<string, string?>? environment = null) =>
        ProjectParser.Parse(ProjectLoader.Load(_directory, environment ?? (_ => null)));

    private void DbtProject(string models = "") =>
        Write("dbt_project.yml", $"name: demo\nprofile: demo\nvars:\n  limit: 5\n  demo:\n    limit: 7\nmodels:\n  demo:\n{models}");

    [Fact]
    public void Configs_follow_dbts_precedence_and_tags_add_up()
    {
        DbtProject("    +materialized: view\n    +tags: [all]\n    marts:\n      +materialized: table\n      +schema: marts\n      +tags: marts\n      orders:\n        +alias: orders_v1\n");
        Write("models/marts/orders.sql", "{{ config(tags=['file'], unique_key='id', materialized='incremental') }}\nselect {{ var('limit') }} as n");
        Write("models/marts/customers.sql", "select 1 as id");
        Write("models/staging/stg.sql", "select 1 as id");
        Write("models/marts/props.yml", "version: 2\nmodels:\n  - name: customers\n    config:\n      materialized: ephemeral\n      tags: [props]\n");

        var project = Parse();

        var orders = project.Nodes["orders"];
        Assert.Equal(Materialization.Incremental, orders.Config.Materialized);
        Assert.Equal(["all", "marts", "file"], orders.Config.Tags);
        Assert.Equal("main_marts.orders_v1", orders.Table.ToString());
        Assert.Equal(["id"], orders.Config.UniqueKey);
        Assert.Equal(IncrementalStrategy.DeleteInsert, orders.Config.Strategy);
        Assert.Equal(Materialization.Ephemeral, project.Nodes["customers"].Config.Materialized);
        Assert.Equal(["all", "marts", "props"], project.Nodes["customers"].Config.Tags);
        Assert.Equal(Materialization.View, project.Nodes["stg"].Config.Materialized);
        Assert.Equal("main.stg", project.Nodes["stg"].Table.ToString());
        Assert.Equal(7L, project.Vars["limit"]);
    }

    [Fact]
    public void Partition_inputs_name_a_synced_table_and_its_date_column()
    {
        DbtProject();
        Write("models/daily.sql", "{{ config(materialized='incremental', partition_by='d', partition_inputs=[{'source': 'app.emails', 'column': 'received_at'}]) }}\nselect current_date as d");

        var inputs = Parse().Nodes["daily"].Config.PartitionInputs;

        Assert.Equal([new PartitionInput("app", "emails", "received_at")], inputs);
    }

    [Theory]
    [InlineData("materialized='table', partition_inputs=[{'source': 'app.emails', 'column': 'received_at'}]", "has no partition_by")]
    [InlineData("materialized='incremental', partition_by='d', partition_inputs=[{'source': 'emails', 'column': 'received_at'}]", "write '<source>.<table>'")]
    [InlineData("materialized='incremental', partition_by='d', partition_inputs=[{'source': 'app.emails'}]", "name the date or timestamp column")]
    [InlineData("materialized='incremental', partition_by='d', partition_inputs=[{'source': 'app.emails', 'column': 'x', 'day': 'y'}]", "unknown key 'day'")]
    [InlineData("materialized='incremental', partition_by='d', partition_inputs='app.emails'", "must be a list of mappings")]
    public void Bad_partition_inputs_name_the_model_file_and_the_fix(string config, string message)
    {
        DbtProject();
        Write("models/daily.sql", $"{{{{ config({config}) }}}}\nselect current_date as d");

        var error = Assert.Throws<ConfigurationException>(() => Parse());

        Assert.Contains("daily.sql", error.Message, StringComparison.Ordinal);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("partition_by='d'", "d", PartitionKeyKind.Date, PartitionGrain.Day)]
    [InlineData("partition_by={'field': 'd', 'granularity': 'month', 'data_type': 'date'}", "d", PartitionKeyKind.Date, PartitionGrain.Month)]
    [InlineData("partition_by={'field': 'date_key', 'data_type': 'int'}", "date_key", PartitionKeyKind.DateKey, PartitionGrain.Day)]
    [InlineData("partition_by={'field': 'date_key', 'data_type': 'INT64'}, grain='week'", "date_key", PartitionKeyKind.DateKey, PartitionGrain.Week)]
    public void Partition_by_names_a_date_or_a_date_key_column(string config, string column, PartitionKeyKind kind, PartitionGrain grain)
    {
        DbtProject();
        Write("models/daily.sql", $"{{{{ config(materialized='incremental', {config}) }}}}\nselect 20250101 as date_key, current_date as d");

        var parsed = Parse().Nodes["daily"].Config;

        Assert.Equal((column, kind, grain), (parsed.PartitionBy, parsed.PartitionKey, parsed.Grain));
    }

    [Theory]
    [InlineData("partition_by={'field': 'date_key', 'data_type': 'string'}", "has data_type 'string'; use date, timestamp, or int")]
    [InlineData("partition_by={'field': 'date_key', 'data_type': 'int', 'range': {'start': 0, 'end': 100, 'interval': 1}}", "integer-range partitions are not supported")]
    [InlineData("partition_by={'field': 'date_key', 'data_type': 'int'}, rollups=[{'grain': 'day', 'time': 'date_key'}]", "holds yyyymmdd date keys")]
    public void Bad_date_key_partitions_name_the_model_file_and_the_fix(string config, string message)
    {
        DbtProject();
        Write("models/daily.sql", $"{{{{ config(materialized='incremental', {config}) }}}}\nselect 20250101 as date_key");

        var error = Assert.Throws<ConfigurationException>(() => Parse());

        Assert.Contains("daily.sql", error.Message, StringComparison.Ordinal);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_profile_target_gives_the_warehouse_and_reads_the_environment()
    {
        DbtProject();
        Write("profiles.yml", "demo:\n  target: prod\n  outputs:\n    prod:\n      type: postgres\n      host: db.example\n      port: 6543\n      user: etl\n      password: \"{{ env_var('DEMO_PW') }}\"\n      dbname: analytics\n      schema: analytics\n      threads: 8\n");

        var project = ProjectLoader.Load(_directory, name => name == "DEMO_PW" ? "s3cr:t" : null);

        var warehouse = Assert.IsType<PostgresWarehouseSettings>(project.Warehouse);
        Assert.Equal("postgres://etl:s3cr%3At@db.example:6543/analytics", warehouse.Url);
        Assert.Equal(("analytics", "prod", 8), (project.DefaultSchema, project.TargetName, project.Threads));
        Assert.Empty(project.Notices);
    }

    [Fact]
    public void A_dbt_project_without_a_profile_gets_the_embedded_duckdb_file_with_a_notice()
    {
        DbtProject();

        var project = ProjectLoader.Load(_directory, _ => null);

        Assert.Equal(Path.Combine("warehouse.duckdb"), Assert.IsType<DuckDbWarehouseSettings>(project.Warehouse).Path);
        Assert.StartsWith("found no profile 'demo' in a profiles.yml (looked in ", Assert.Single(project.Notices));
    }

    [Fact]
    public void Descriptions_include_docs_blocks_and_snapshot_blocks_become_snapshots()
    {
        DbtProject();
        Write("models/docs.md", "{% docs orders %}\nOne row per order.\n{% enddocs %}\n");
        Write("models/orders.sql", "select 1 as id, current_timestamp as updated_at");
        Write("models/schema.yml", "version: 2\nmodels:\n  - name: orders\n    description: \"{{ doc('orders') }}\"\n");
        Write("snapshots/snap.sql", "{% snapshot orders_history %}\n{{ config(unique_key='id', strategy='timestamp', updated_at='updated_at', target_schema='history') }}\nselect * from {{ ref('orders') }}\n{% endsnapshot %}\n");

        var project = Parse();

        Assert.Equal("One row per order.", project.Nodes["orders"].Description);
        var snapshot = project.Nodes["orders_history"];
        Assert.Equal("history.orders_history", snapshot.Table.ToString());
        Assert.Equal(SnapshotStrategy.Timestamp, snapshot.Config.Snapshot!.Strategy);
        Assert.Equal(["orders"], project.Graph.ParentsOf("orders_history"));
    }

    [Theory]
    [InlineData("models/a.sql", "select 1\n{% filter upper %}x{% endfilter %}", "models/a.sql:2:4: unsupported tag '{% filter %}'")]
    [InlineData("models/a.sql", "select * from {{ ref('missing') }}", "models/a.sql:1:18: ref('missing') names no model, seed or snapshot")]
    [InlineData("models/a.sql", "select {{ var('nope') }}", "models/a.sql:1:11: var('nope') is not defined; add it under vars:")]
    [InlineData("models/a.sql", "select * from {{ source('app', 'users') }}", "models/a.sql:1:18: source('app', 'users') is not declared; the project declares no sources")]
    [InlineData("models/a.sql", "select {{ 'x' | slugify }}", "models/a.sql:1:17: unknown filter 'slugify' — supported filters are")]
    [InlineData("models/a.sql", "{{ config(materialized='materialized_view') }}select 1", "models/a.sql:1:4: config 'materialized' is 'materialized_view'; use one of 'view', 'table', 'ephemeral', 'incremental'.")]
    [InlineData("models/a.sql", "{{ config(materialized='incremental', incremental_strategy='merge') }}select 1", "models/a.sql:1:4: config 'incremental_strategy' needs a unique_key")]
    [InlineData("models/a.sql", "select * from {{ ref('other_pkg', 'b') }}", "models/a.sql:1:18: ref('other_pkg', …) names the package 'other_pkg'")]
    [InlineData("models/a.sql", "{{ config(materialized='mine') }}select 1", "models/a.sql:1:4: config 'materialized' is 'mine'; use one of 'view', 'table', 'ephemeral', 'incremental'.")]
    [InlineData("models/a.sql", "select {{ cents('x', 2) }}", "models/a.sql:1:11: unknown function or macro 'cents'")]
    [InlineData("models/a.sql", "select {{ dbt_utils.star(ref('b')) }}", "models/a.sql:1:11: 'dbt_utils.star' needs the package dbt_utils: declare it in packages.yml")]
    [InlineData("snapshots/s.sql", "{% snapshot s %}select 1", "snapshots/s.sql:1: the snapshot 's' is never closed")]
    public void Bad_input_is_an_error_naming_the_file_line_and_column(string path, string text, string expected)
    {
        DbtProject();
        Write(path, text);

        var error = Assert.ThrowsAny<ConfigurationException>(() => Parse());

        Assert.StartsWith(expected, error.Message);
    }

    [Fact]
    public void A_cycle_is_an_error_that_prints_it()
    {
        DbtProject();
        Write("models/a.sql", "select * from {{ ref('c') }}");
        Write("models/b.sql", "select * from {{ ref('a') }}");
        Write("models/c.sql", "select * from {{ ref('b') }}");

        var error = Assert.ThrowsAny<ConfigurationException>(() => Parse());

        Assert.Contains("models depend on each other in a cycle: a → b → c → a", error.Message);
    }

    [Fact]
    public void A_cycle_names_the_file_line_and_column_of_each_ref_in_it()
    {
        DbtProject();
        Write("models/a.sql", "{{ config(materialized='table') }}\nselect *\nfrom {{ ref('b') }}");
        Write("models/b.sql", "-- reads a\nselect * from {{ ref('a') }}");

        var error = Assert.ThrowsAny<ConfigurationException>(() => Parse());

        Assert.Equal(
            "models/b.sql:2:18: models depend on each other in a cycle: a → b → a, through ref('a') at models/b.sql:2:18 and ref('b') at models/a.sql:3:9; remove one of these references.",
            error.Message);
    }

    [Fact]
    public void A_model_that_is_not_utf8_text_is_an_error_naming_the_line_and_column_of_the_first_bad_byte()
    {
        DbtProject();
        var path = Path.Combine(_directory, "models", "bin.sql");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, [.. "select 1\nselect é"u8, 0xC3, 0x28, .. "\n"u8]);

        var error = Assert.ThrowsAny<ConfigurationException>(() => Parse());

        Assert.Equal("models/bin.sql:2:9: the file is not UTF-8 text (the byte 0xC3 here starts no valid UTF-8 character); save it as UTF-8, or move it out of the project's SQL folders.", error.Message);
    }

    [Fact]
    public void A_model_holding_a_nul_character_is_an_error_naming_its_line_and_column()
    {
        DbtProject();
        Write("models/nul.sql", "select 1\nfrom t\0where x");

        var error = Assert.ThrowsAny<ConfigurationException>(() => Parse());

        Assert.Equal("models/nul.sql:2:7: the file holds a NUL character, so it is not SQL text; remove the character, or move the file out of the project's SQL folders.", error.Message);
    }

    [Fact]
    public void A_model_file_with_a_byte_order_mark_is_read_without_it()
    {
        DbtProject();
        var path = Path.Combine(_directory, "models", "bom.sql");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, [0xEF, 0xBB, 0xBF, .. "select 1 as n"u8]);

        Assert.Equal("select 1 as n", Parse().Nodes["bom"].Source!.Text);
    }

    [Fact]
    public void A_ref_to_a_disabled_model_says_so()
    {
        DbtProject("    old:\n      +enabled: false\n");
        Write("models/old/legacy.sql", "select 1 as id");
        Write("models/a.sql", "select * from {{ ref('legacy') }}");

        var error = Assert.ThrowsAny<ConfigurationException>(() => Parse());

        Assert.Equal("models/a.sql:1:18: ref('legacy') names a model that is disabled (models/old/legacy.sql); enable it, or disable this model too.", error.Message);
    }
}
