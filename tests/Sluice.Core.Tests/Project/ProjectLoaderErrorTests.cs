using Sluice.Core.Project;

namespace Sluice.Core.Tests.Project;

public class ProjectLoaderErrorTests
{
    private static readonly Func<string, string?> NoEnvironment = _ => null;

    private static string LoadError(string yaml, Func<string, string?>? environment = null)
    {
        using var project = new TempProject(yaml);
        var error = Assert.Throws<ConfigurationException>(() => ProjectLoader.Load(project.Directory, environment ?? NoEnvironment));
        return error.Message.Replace(project.ConfigPath, "sluice.yml", StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_sluice_yml_says_how_to_create_a_project()
    {
        using var project = new TempProject();

        var error = Assert.Throws<ConfigurationException>(() => ProjectLoader.Load(project.Directory, NoEnvironment));

        Assert.Equal(
            $"No sluice.yml (or dbt_project.yml) in {project.Directory}; run `sluice init {project.Directory}` to create a project, or pass --project-dir.",
            error.Message);
    }

    [Fact]
    public void Malformed_yaml_names_file_and_line()
    {
        var message = LoadError("name: shop\nwarehouse:\n  type: duckdb\n   path: x.duckdb\n");

        Assert.StartsWith("sluice.yml:4:", message, StringComparison.Ordinal);
        Assert.Contains("fix the YAML syntax", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unclosed_quote_names_file_and_line()
    {
        var message = LoadError("name: shop\n\nwarehouse:\n  type: \"duckdb\n");

        Assert.Matches(@"^sluice\.yml:\d+:\d+: ", message);
    }

    [Fact]
    public void Duplicate_key_names_its_line()
    {
        var message = LoadError("name: shop\nname: other\n");

        Assert.StartsWith("sluice.yml:2:1: ", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_top_level_key_lists_the_allowed_keys()
    {
        var message = LoadError("name: shop\n\nmodel:\n  x: 1\n");

        Assert.Equal(
            "sluice.yml:3:1: unknown key 'model' in sluice.yml; the allowed keys are name, warehouse, sources, vars, schedules, channels, events, retention, serve, models, seeds, snapshots, model-paths, seed-paths, snapshot-paths, test-paths.",
            message);
    }

    [Fact]
    public void Empty_file_is_an_error_at_line_one()
    {
        var message = LoadError("# nothing here\n");

        Assert.StartsWith("sluice.yml:1:1: the file is empty", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Top_level_list_is_an_error()
    {
        var message = LoadError("- name: shop\n");

        Assert.StartsWith("sluice.yml:1:1: sluice.yml must be a mapping", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Second_document_is_an_error()
    {
        var message = LoadError("name: shop\n---\nname: other\n");

        Assert.StartsWith("sluice.yml:3:1: sluice.yml holds more than one YAML document", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_project_name_names_the_line()
    {
        var message = LoadError("name: my shop\n");

        Assert.StartsWith("sluice.yml:1:7: the project name 'my shop' must start with a letter", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_warehouse_type_lists_the_supported_types()
    {
        var message = LoadError("name: shop\nwarehouse:\n  type: bigquery\n");

        Assert.Equal("sluice.yml:3:9: warehouse type 'bigquery' is not supported; use one of: duckdb, postgres, clickhouse.", message);
    }

    [Fact]
    public void Warehouse_without_type_says_to_add_one()
    {
        var message = LoadError("warehouse:\n  path: x.duckdb\n");

        Assert.StartsWith("sluice.yml:2:3: warehouse needs a type", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Warehouse_that_is_not_a_mapping_is_an_error()
    {
        var message = LoadError("warehouse: duckdb\n");

        Assert.StartsWith("sluice.yml:1:12: warehouse must be a mapping", message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_clickhouse_url_must_be_http_and_name_a_valid_database()
    {
        Assert.Equal(
            "sluice.yml:3:8: warehouse.url 'clickhouse://sluice:***@db:9000/x' is not a ClickHouse HTTP URL; write it as http://user@host:8123/database.",
            LoadError("warehouse:\n  type: clickhouse\n  url: clickhouse://sluice:pw@db:9000/x\n"));
        Assert.StartsWith("sluice.yml:3:8: warehouse.url names the database 'my-db'", LoadError("warehouse:\n  type: clickhouse\n  url: http://db:8123/my-db\n"), StringComparison.Ordinal);
        Assert.StartsWith("sluice.yml:2:3: a clickhouse warehouse needs a url", LoadError("warehouse:\n  type: clickhouse\n"), StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_warehouse_key_lists_the_allowed_keys()
    {
        var message = LoadError("warehouse:\n  type: duckdb\n  treads: 4\n");

        Assert.StartsWith("sluice.yml:3:3: unknown key 'treads' in warehouse; the allowed keys are type, path, threads, memory_limit, url, cluster, shards.", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("  cluster: shards\n", "sluice.yml:4:3: warehouse.cluster 'shards' needs warehouse.shards, the HTTP URL of every server of the cluster")]
    [InlineData("  shards: [http://b:8123]\n", "sluice.yml:4:3: warehouse.shards is only read with warehouse.cluster")]
    [InlineData("  cluster: shards\n  shards: http://b:8123\n", "sluice.yml:5:11: warehouse.shards must be a list of the HTTP URL of every server of the cluster")]
    [InlineData("  cluster: shards\n  shards: [\"tcp://sluice:s3cret@b:9000\"]\n", "sluice.yml:5:12: warehouse.shards item 'tcp://sluice:***@b:9000' is not a ClickHouse HTTP URL")]
    public void A_cluster_needs_the_url_of_every_shard(string yaml, string expected)
    {
        var message = LoadError("warehouse:\n  type: clickhouse\n  url: http://a:8123/analytics\n" + yaml);

        Assert.StartsWith(expected, message, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Key_of_another_warehouse_type_is_named()
    {
        var message = LoadError("warehouse:\n  type: duckdb\n  url: postgres://x@y/z\n");

        Assert.Equal("sluice.yml:3:3: 'url' does not apply to a duckdb warehouse; the allowed keys are type, path, threads, memory_limit.", message);
    }

    [Fact]
    public void Threads_must_be_a_positive_number()
    {
        Assert.StartsWith("sluice.yml:3:12: warehouse.threads must be a whole number, not 'many'", LoadError("warehouse:\n  type: duckdb\n  threads: many\n"), StringComparison.Ordinal);
        Assert.StartsWith("sluice.yml:3:12: warehouse.threads must be between 1 and 1024, not 0", LoadError("warehouse:\n  type: duckdb\n  threads: 0\n"), StringComparison.Ordinal);
    }

    [Fact]
    public void Memory_limit_must_be_a_size()
    {
        var message = LoadError("warehouse:\n  type: duckdb\n  memory_limit: lots\n");

        Assert.StartsWith("sluice.yml:3:17: warehouse.memory_limit 'lots' is not a size", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Empty_path_is_an_error()
    {
        var message = LoadError("warehouse:\n  type: duckdb\n  path:\n");

        Assert.StartsWith("sluice.yml:3:", message, StringComparison.Ordinal);
        Assert.Contains("warehouse.path is empty", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Postgres_without_url_says_what_to_add()
    {
        var message = LoadError("warehouse:\n  type: postgres\n");

        Assert.StartsWith("sluice.yml:2:3: a postgres warehouse needs a url", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_environment_variable_names_the_variable_and_line()
    {
        var message = LoadError("name: shop\nwarehouse:\n  type: postgres\n  url: postgres://sluice:${WAREHOUSE_PASSWORD}@db/analytics\n");

        Assert.Equal(
            "sluice.yml:4:8: environment variable WAREHOUSE_PASSWORD is not set; set it (export WAREHOUSE_PASSWORD=...) or give a default with ${WAREHOUSE_PASSWORD:-default}.",
            message);
    }

    [Fact]
    public void Url_errors_never_show_the_password()
    {
        var message = LoadError(
            "warehouse:\n  type: postgres\n  url: mysql://sluice:${PGPASSWORD}@db/analytics\n",
            name => name == "PGPASSWORD" ? "hunter2" : null);

        Assert.Equal("sluice.yml:3:8: warehouse.url 'mysql://sluice:***@db/analytics' is not a PostgreSQL URL; write it as postgres://user@host:5432/database.", message);
        Assert.DoesNotContain("hunter2", message, StringComparison.Ordinal);
    }
}
