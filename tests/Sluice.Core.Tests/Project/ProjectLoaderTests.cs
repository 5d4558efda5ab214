using Sluice.Core.Project;
using YamlDotNet.RepresentationModel;

namespace Sluice.Core.Tests.Project;

public class ProjectLoaderTests
{
    private static readonly Func<string, string?> NoEnvironment = _ => null;

    [Fact]
    public void Minimal_file_defaults_to_a_duckdb_warehouse()
    {
        using var project = new TempProject("name: shop\n");

        var loaded = ProjectLoader.Load(project.Directory, NoEnvironment);

        Assert.Equal("shop", loaded.Name);
        Assert.Equal(project.Directory, loaded.Directory);
        Assert.Equal(project.ConfigPath, loaded.ConfigPath);
        Assert.Equal(new DuckDbWarehouseSettings("warehouse.duckdb"), loaded.Warehouse);
        Assert.Empty(loaded.DeferredSections);
    }

    [Fact]
    public void Relative_directory_is_made_absolute()
    {
        using var project = new TempProject("name: shop\n");
        var relative = Path.GetRelativePath(Environment.CurrentDirectory, project.Directory);

        var loaded = ProjectLoader.Load(relative, NoEnvironment);

        Assert.Equal(project.Directory, loaded.Directory);
    }

    [Fact]
    public void Missing_name_defaults_to_the_folder_name()
    {
        using var project = new TempProject("warehouse:\n  type: duckdb\n");

        var loaded = ProjectLoader.Load(project.Directory, NoEnvironment);

        Assert.Equal(ProjectNames.FromFolderName(Path.GetFileName(project.Directory)), loaded.Name);
    }

    [Fact]
    public void Duckdb_warehouse_reads_path_threads_and_memory_limit()
    {
        using var project = new TempProject("""
            name: shop
            warehouse:
              type: duckdb
              path: data/shop.duckdb
              threads: 4
              memory_limit: 2GB
            """);

        var loaded = ProjectLoader.Load(project.Directory, NoEnvironment);

        Assert.Equal(new DuckDbWarehouseSettings("data/shop.duckdb", 4, "2GB"), loaded.Warehouse);
    }

    [Fact]
    public void Postgres_warehouse_reads_the_url()
    {
        using var project = new TempProject("""
            name: shop
            warehouse:
              type: postgres
              url: postgres://sluice@db.internal:5432/analytics
            """);

        var loaded = ProjectLoader.Load(project.Directory, NoEnvironment);

        Assert.Equal(new PostgresWarehouseSettings("postgres://sluice@db.internal:5432/analytics"), loaded.Warehouse);
    }

    [Fact]
    public void Sources_vars_and_schedules_are_kept_for_later_stages()
    {
        using var project = new TempProject("""
            name: shop
            sources:
              app:
                type: postgres
                url: ${APP_DATABASE_URL}
            vars:
              start_date: '2024-01-01'
            schedules:
              - cron: '0 * * * *'
            """);

        var loaded = ProjectLoader.Load(project.Directory, NoEnvironment);

        Assert.Equal(["schedules", "sources", "vars"], loaded.DeferredSections.Keys.Order());
        var sources = Assert.IsType<YamlMappingNode>(loaded.Section("sources"));
        Assert.Equal(3, sources.Start.Line);
        Assert.IsType<YamlSequenceNode>(loaded.Section("schedules"));
        Assert.Null(new SluiceProject("x", "/", "/sluice.yml", WarehouseSettingsReader.Default, new Dictionary<string, YamlNode>()).Section("vars"));

        Assert.Empty(loaded.Notices);
    }

    [Fact]
    public void Environment_references_are_expanded_in_values()
    {
        using var project = new TempProject("""
            name: ${PROJECT_NAME}
            warehouse:
              type: duckdb
              path: ${DATA_DIR:-data}/shop.duckdb
              threads: ${THREADS}
            """);
        var environment = new Dictionary<string, string> { ["PROJECT_NAME"] = "shop_prod", ["THREADS"] = "8" };

        var loaded = ProjectLoader.Load(project.Directory, environment.GetValueOrDefault);

        Assert.Equal("shop_prod", loaded.Name);
        Assert.Equal(new DuckDbWarehouseSettings("data/shop.duckdb", 8), loaded.Warehouse);
    }

    [Fact]
    public void Process_environment_is_used_by_default()
    {
        var variable = $"SLUICE_TEST_PATH_{Guid.NewGuid():N}";
        Environment.SetEnvironmentVariable(variable, "from-env.duckdb");
        try
        {
            using var project = new TempProject($"warehouse:\n  type: duckdb\n  path: ${{{variable}}}\n");

            var loaded = ProjectLoader.Load(project.Directory);

            Assert.Equal(new DuckDbWarehouseSettings("from-env.duckdb"), loaded.Warehouse);
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
        }
    }

    [Fact]
    public void Postgres_password_comes_from_the_environment()
    {
        using var project = new TempProject("""
            warehouse:
              type: postgres
              url: postgres://sluice:${PGPASSWORD}@db:5432/analytics
            """);

        var loaded = ProjectLoader.Load(project.Directory, name => name == "PGPASSWORD" ? "s3cret" : null);

        Assert.Equal(new PostgresWarehouseSettings("postgres://sluice:s3cret@db:5432/analytics"), loaded.Warehouse);
    }

    [Fact]
    public void ClickHouse_warehouse_reads_the_url_and_its_database_is_the_default_schema()
    {
        using var project = new TempProject("""
            warehouse:
              type: clickhouse
              url: http://sluice:${CLICKHOUSE_PASSWORD}@ch.internal:8123/analytics
            """);

        var loaded = ProjectLoader.Load(project.Directory, name => name == "CLICKHOUSE_PASSWORD" ? "s3cret" : null);

        var settings = Assert.IsType<ClickHouseWarehouseSettings>(loaded.Warehouse);
        Assert.Equal("http://sluice:s3cret@ch.internal:8123/analytics", settings.Url);
        Assert.Equal("analytics", settings.Database);
        Assert.Equal("analytics", loaded.DefaultSchema);
        Assert.Equal("default", new ClickHouseWarehouseSettings("http://ch:8123").Database);
    }

    [Fact]
    public void Type_names_are_case_insensitive()
    {
        using var project = new TempProject("warehouse:\n  type: DuckDB\n");

        Assert.IsType<DuckDbWarehouseSettings>(ProjectLoader.Load(project.Directory, NoEnvironment).Warehouse);
    }
}
