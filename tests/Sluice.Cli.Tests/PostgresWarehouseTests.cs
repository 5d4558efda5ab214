using Sluice.Testing;

namespace Sluice.Cli.Tests;

public class PostgresWarehouseTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    [Fact]
    public async Task Debug_on_a_postgres_warehouse_reports_the_connection()
    {
        await WriteProjectAsync();

        var result = await SluiceProcess.RunAsync(_temp.Path, "debug");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Matches(@"(?m)^warehouse\s+postgres$", result.Stdout);
        Assert.Matches(@"(?m)^engine\s+PostgreSQL \d", result.Stdout);
        Assert.Matches(@"(?m)^connection\s+OK$", result.Stdout);
        Assert.Matches(@"(?m)^_sluice schema\s+not created yet", result.Stdout);
    }

    [Fact]
    public async Task Query_on_a_postgres_warehouse_prints_json_rows()
    {
        await WriteProjectAsync();

        var result = await SluiceProcess.RunAsync(
            _temp.Path, "query", "select 42 as answer, 12.50::numeric as price, true as flag, null::text as nothing, date '2024-02-29' as day", "--format", "json");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("[{\"answer\":42,\"price\":12.50,\"flag\":true,\"nothing\":null,\"day\":\"2024-02-29\"}]\n", result.Stdout);
    }

    [Fact]
    public async Task Postgres_syntax_error_exits_2_with_the_sqlstate()
    {
        await WriteProjectAsync();

        var result = await SluiceProcess.RunAsync(_temp.Path, "query", "selec 42");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("42601", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("syntax error", result.Stderr, StringComparison.Ordinal);
    }

    public void Dispose() => _temp.Dispose();

    private async Task WriteProjectAsync()
    {
        var server = await PostgresServer.GetAsync();
        var url = await server.CreateDatabaseAsync("cli");
        await File.WriteAllTextAsync(_temp.Combine("sluice.yml"), $"name: pg_test\nwarehouse:\n  type: postgres\n  url: {url}\n");
    }
}
