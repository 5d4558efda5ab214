using Dapper;

namespace Sluice.DuckDb.Tests;

public sealed class DatabaseTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("sluice-duckdb-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Connections_to_one_file_share_one_database()
    {
        var path = Path.Combine(_directory, "shared.duckdb");
        using var first = new DuckDbConnection($"Data Source={path}");
        using var second = new DuckDbConnection($"Data Source={path}");
        first.Open();
        second.Open();
        first.ExecuteScript("create table t (a integer); insert into t values (1), (2)");
        Assert.Equal(2L, second.ExecuteScalar<long>("select count(*) from t"));
    }

    [Fact]
    public void A_file_database_keeps_its_data_after_the_last_connection_closes()
    {
        var path = Path.Combine(_directory, "durable.duckdb");
        using (var connection = new DuckDbConnection($"Data Source={path}"))
        {
            connection.Open();
            connection.ExecuteScript("create table t as select * from range(5)");
        }

        using var reopened = new DuckDbConnection($"Data Source={path}");
        reopened.Open();
        Assert.Equal(5L, reopened.ExecuteScalar<long>("select count(*) from t"));
    }

    [Fact]
    public void The_file_is_released_when_its_last_connection_closes()
    {
        var path = Path.Combine(_directory, "released.duckdb");
        var first = new DuckDbConnection($"Data Source={path}");
        var second = new DuckDbConnection($"Data Source={path}");
        first.Open();
        second.Open();
        first.ExecuteScript("create table t (a integer)");
        first.Dispose();
        first.Dispose();
        second.ExecuteScript("insert into t values (1)");
        second.Dispose();

        // Only a closed database can be opened again with other settings.
        using var readOnly = new DuckDbConnection($"Data Source={path};Access Mode=READ_ONLY");
        readOnly.Open();
        Assert.Equal(1L, readOnly.ExecuteScalar<long>("select count(*) from t"));
    }

    [Fact]
    public void A_file_already_open_with_other_settings_is_a_clear_error()
    {
        var path = Path.Combine(_directory, "settings.duckdb");
        using var first = new DuckDbConnection($"Data Source={path};Threads=1");
        first.Open();
        using var second = new DuckDbConnection($"Data Source={path};Threads=2");
        var error = Assert.Throws<DuckDbException>(second.Open);
        Assert.Contains("same settings", error.Message);
        Assert.Contains("threads", error.Message);
    }

    [Fact]
    public void In_memory_databases_are_private_to_their_connection()
    {
        using var first = new DuckDbConnection("Data Source=:memory:");
        using var second = new DuckDbConnection("Data Source=:memory:");
        first.Open();
        second.Open();
        first.ExecuteScript("create table t (a integer)");
        Assert.Throws<DuckDbException>(() => second.ExecuteScalar<long>("select count(*) from t"));
    }

    [Fact]
    public void Config_options_are_applied()
    {
        using var connection = new DuckDbConnection("Data Source=:memory:;Threads=1;Memory Limit=512MB");
        connection.Open();
        Assert.Equal(1L, connection.ExecuteScalar<long>("select current_setting('threads')"));
        Assert.Equal("488.2 MiB", connection.ExecuteScalar<string>("select current_setting('memory_limit')"));
    }

    [Fact]
    public void A_read_only_database_rejects_writes()
    {
        var path = Path.Combine(_directory, "ro.duckdb");
        using (var writer = new DuckDbConnection($"Data Source={path}"))
        {
            writer.Open();
            writer.ExecuteScript("create table t (a integer)");
        }

        using var reader = new DuckDbConnection($"Data Source={path};Access Mode=READ_ONLY");
        reader.Open();
        var error = Assert.Throws<DuckDbException>(() => reader.ExecuteScript("insert into t values (1)"));
        Assert.Contains("read-only", error.Message);
    }

    [Fact]
    public void An_unknown_setting_is_a_clear_error()
    {
        using var connection = new DuckDbConnection("Data Source=:memory:;no_such_setting=1");
        var error = Assert.Throws<DuckDbException>(connection.Open);
        Assert.Contains("no_such_setting", error.Message);
    }

    [Fact]
    public void The_library_reports_version_1_5()
    {
        Assert.StartsWith("v1.5.", DuckDbConnection.LibraryVersion);
    }
}
