using Sluice.Sync.Engine;

namespace Sluice.Sync.Tests;

/// <summary>CSV sources, run against every warehouse.</summary>
public abstract class CsvSourceTests : SyncTestBase
{
    private string DataFile(string name, string text)
    {
        var path = Path.Combine(ProjectDirectory, "data", name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    private void WriteCsvSource(string extra = "") =>
        WriteProject($"  - name: files\n    type: csv\n    path: data/*.csv\n{extra}");

    [Fact]
    public async Task Each_file_becomes_a_table_with_detected_types()
    {
        DataFile("Orders 2024.csv", "id,amount,placed_on,note\n1,12.50,2024-01-02,\"first, with comma\"\n2,7.25,2024-01-03,Grüße\n");
        DataFile("customers.csv", "id,name\n1,Ann\n2,\"Bo \"\"the\"\" Builder\"\n");
        WriteCsvSource();

        var results = await SyncAsync();

        Assert.All(results, r => Assert.Equal(SyncStatus.Success, r.Status));
        Assert.Equal(["customers", "orders_2024"], results.Select(r => r.Table).Order());
        Assert.Equal(["1 | 12.5 | 2024-01-02 | first, with comma", "2 | 7.25 | 2024-01-03 | Grüße"],
            await WarehouseRowsAsync("select id, amount, placed_on, note from raw.files__orders_2024 order by id"));
        Assert.Equal(["2 | Bo \"the\" Builder"], await WarehouseRowsAsync("select id, name from raw.files__customers where id = 2"));
        Assert.Equal(["date"], await WarehouseRowsAsync(
            "select lower(data_type) from information_schema.columns where table_schema = 'raw' and table_name = 'files__orders_2024' and column_name = 'placed_on'"));
    }

    [Fact]
    public async Task Parity_compares_the_files_with_the_raw_table_per_day_and_finds_rows_of_a_file_gone()
    {
        DataFile("orders_1.csv", "id,placed_at,qty\n1,2024-01-01 10:00:00,1\n2,2024-01-01 23:59:59,2\n3,2024-01-02 00:00:00,3\n");
        DataFile("orders_2.csv", "id,placed_at,qty\n4,2024-01-02 08:00:00,4\n5,,5\n");
        WriteProject("""
              - name: shop
                type: csv
                tables:
                  - name: orders
                    path: data/orders_*.csv
                    primary_key: [id]
                    parity: {date_column: placed_at}
            """);

        var results = await SyncAsync();

        var report = Assert.Single(results, r => r.Parity is not null).Parity!;
        Assert.True(report.Matches);
        Assert.Equal((5L, 5L), (report.Total.SourceCount, report.Total.WarehouseCount));
        Assert.Equal(["2024-01-01: 2/2", "2024-01-02: 2/2"], report.Days.Select(d => $"{d.Day:yyyy-MM-dd}: {d.SourceCount}/{d.WarehouseCount}"));
        Assert.NotNull(report.Total.SourceChecksum);
        Assert.Equal(3, await WarehouseCountAsync("select count(*) from _sluice.parity_checks where source = 'shop' and table_name = 'orders'"));

        // A file taken away leaves its rows in the warehouse: the days it held differ.
        File.Delete(Path.Combine(ProjectDirectory, "data", "orders_2.csv"));
        var after = Assert.Single(await SyncAsync(), r => r.Parity is not null).Parity!;

        Assert.False(after.Matches);
        Assert.Equal(["2024-01-02: 1/2"], after.MismatchedDays.Select(d => $"{d.Day:yyyy-MM-dd}: {d.SourceCount}/{d.WarehouseCount}"));
        Assert.Equal((3L, 5L), (after.Total.SourceCount, after.Total.WarehouseCount));
    }

    [Fact]
    public async Task Parity_of_more_files_than_one_query_counts_adds_up_the_days_they_share()
    {
        // Files are counted 16 to a query; each day here has rows in files of different queries.
        const int files = 37;
        var expected = new SortedDictionary<string, int>(StringComparer.Ordinal);
        for (var f = 0; f < files; f++)
        {
            var text = new System.Text.StringBuilder("id,placed_at\n");
            for (var r = 0; r <= f % 3; r++)
            {
                var day = $"2024-03-{1 + (f + r) % 7:00}";
                text.Append($"{f * 10 + r},{day} 12:00:00\n");
                expected[day] = expected.GetValueOrDefault(day) + 1;
            }

            DataFile($"orders_{f:000}.csv", text.ToString());
        }

        WriteProject("""
              - name: shop
                type: csv
                tables:
                  - {name: orders, path: data/orders_*.csv, primary_key: [id], parity: {date_column: placed_at}}
            """);

        var report = Assert.Single(await SyncAsync(), r => r.Parity is not null).Parity!;

        Assert.True(report.Matches);
        Assert.Equal(expected.Select(d => $"{d.Key}: {d.Value}/{d.Value}"), report.Days.Select(d => $"{d.Day:yyyy-MM-dd}: {d.SourceCount}/{d.WarehouseCount}"));
        Assert.Equal(expected.Values.Sum(), report.Total.SourceCount);

        // A file of the last group taken away: only its days differ, by its rows.
        File.Delete(Path.Combine(ProjectDirectory, "data", $"orders_{files - 1:000}.csv"));
        var after = Assert.Single(await SyncAsync(), r => r.Parity is not null).Parity!;

        var gone = Enumerable.Range(0, 1 + (files - 1) % 3).Select(r => $"2024-03-{1 + (files - 1 + r) % 7:00}").ToHashSet();
        Assert.Equal(gone.Order(StringComparer.Ordinal), after.MismatchedDays.Select(d => $"{d.Day:yyyy-MM-dd}"));
        Assert.All(after.MismatchedDays, d => Assert.Equal(d.WarehouseCount - 1, d.SourceCount));
        Assert.All(after.MismatchedDays, d => Assert.NotEqual(d.WarehouseChecksum, d.SourceChecksum));
    }

    [Fact]
    public async Task Parity_without_key_or_date_compares_the_totals()
    {
        DataFile("items.csv", "id,qty\n1,1\n2,2\n");
        WriteProject("  - name: files\n    type: csv\n    path: data/*.csv\n    parity: true\n");

        var report = Assert.Single(await SyncAsync()).Parity!;

        Assert.True(report.Matches);
        Assert.Equal((2L, 2L), (report.Total.SourceCount, report.Total.WarehouseCount));
        Assert.Empty(report.Days);
    }

    [Fact]
    public async Task Parity_of_a_column_that_is_not_a_date_fails_the_table_naming_the_setting()
    {
        DataFile("orders_1.csv", "id,placed_at\n1,soon\n");
        WriteProject("""
              - name: shop
                type: csv
                tables:
                  - {name: orders, path: data/orders_*.csv, parity: {date_column: placed_at}}
            """);

        var result = Assert.Single(await SyncAsync());

        Assert.Equal(SyncStatus.Failed, result.Status);
        Assert.True(result.IsUserFault);
        Assert.Contains("sources.shop.tables.orders: parity date_column 'placed_at' of data/orders_1.csv is read as", result.Error);
    }

    [Fact]
    public async Task An_unchanged_file_is_skipped_and_a_changed_one_replaces_its_rows()
    {
        DataFile("items.csv", "id,qty\n1,1\n2,2\n");
        WriteCsvSource();
        await SyncAsync();

        var again = Assert.Single(await SyncAsync());
        Assert.Equal("csv (unchanged)", again.Mode);
        Assert.Equal(0, again.RowsRead);

        DataFile("items.csv", "id,qty\n1,10\n3,30\n4,40\n");
        var changed = Assert.Single(await SyncAsync());

        Assert.Equal(3, changed.RowsRead);
        Assert.Equal(["1 | 10", "3 | 30", "4 | 40"], await WarehouseRowsAsync("select id, qty from raw.files__items order by id"));
        Assert.Equal(["data/items.csv | 3"], await WarehouseRowsAsync("select file_name, rows_loaded from _sluice.csv_files"));
    }

    [Fact]
    public async Task Files_named_into_one_table_keep_their_own_rows()
    {
        DataFile("a.csv", "id,v\n1,x\n");
        DataFile("b.csv", "id,v\n2,y\n3,z\n");
        WriteCsvSource("    table: all_rows\n    columns: {v: text, id: bigint}\n");

        await SyncAsync();

        Assert.Equal(["1 | x | data/a.csv", "2 | y | data/b.csv", "3 | z | data/b.csv"],
            await WarehouseRowsAsync("select id, v, _sluice_file from raw.files__all_rows order by id"));
    }

    [Fact]
    public async Task A_value_that_does_not_fit_names_file_line_and_column_and_loads_nothing()
    {
        DataFile("good.csv", "id,amount\n1,1.5\n");
        var rows = string.Concat(Enumerable.Range(2, 3000).Select(i => $"{i},{i}.5\n"));
        DataFile("items.csv", "id,amount\n" + rows + "3002,oops\n");
        WriteCsvSource("    columns: {amount: 'decimal(10,2)'}\n");

        var results = await SyncAsync();

        var failed = Assert.Single(results, r => r.Status == SyncStatus.Failed);
        Assert.True(failed.IsUserFault);
        Assert.Contains("data/items.csv:3002", failed.Error);
        Assert.Contains("amount", failed.Error);
        Assert.Contains("nothing from this file was loaded", failed.Error);
        Assert.Empty(await WarehouseRowsAsync("select table_name from information_schema.tables where table_schema = 'raw' and table_name = 'files__items'"));
        Assert.Equal(1, await WarehouseCountAsync("select count(*) from raw.files__good"));
    }

    [Fact]
    public async Task A_row_with_too_many_fields_names_its_line()
    {
        DataFile("broken.csv", "id,name\n1,a\n2,b,extra\n3,c\n");
        WriteCsvSource();

        var result = Assert.Single(await SyncAsync());

        Assert.Equal(SyncStatus.Failed, result.Status);
        Assert.Contains("data/broken.csv:3", result.Error);
        Assert.Contains("expected 2 fields, found 3", result.Error);
    }

    [Fact]
    public async Task A_malformed_change_keeps_the_rows_of_the_previous_version()
    {
        DataFile("items.csv", "id,qty\n1,1\n2,2\n");
        WriteCsvSource();
        await SyncAsync();
        DataFile("items.csv", "id,qty\n1,1\n2,\"unclosed\n");

        var result = Assert.Single(await SyncAsync());

        Assert.Equal(SyncStatus.Failed, result.Status);
        Assert.Equal(["1 | 1", "2 | 2"], await WarehouseRowsAsync("select id, qty from raw.files__items order by id"));
    }
}

public sealed class CsvToDuckDbTests : CsvSourceTests
{
    protected override Task<string> WarehouseYamlAsync() => Task.FromResult("warehouse:\n  type: duckdb\n  path: warehouse.duckdb\n");
}

public sealed class CsvToPostgresTests : CsvSourceTests
{
    protected override async Task<string> WarehouseYamlAsync()
    {
        var server = await Testing.PostgresServer.GetAsync();
        return $"warehouse:\n  type: postgres\n  url: {await server.CreateDatabaseAsync("warehouse")}\n";
    }
}
