using System.Globalization;
using System.Text.Json;
using Sluice.Core.Project;
using Sluice.Operate.Export;
using Sluice.Warehouses;

namespace Sluice.Operate.Tests.Export;

/// <summary>
/// What an export writes, the same on every warehouse: each engine's class inherits these tests.
/// Expected rows come from <see cref="SalesData"/>, the source rows as made in C#.
/// </summary>
public abstract class ExportConformanceTests<TProject>(TProject project) : IClassFixture<TProject>, IDisposable
    where TProject : ExportProject
{
    private readonly string _out = Directory.CreateTempSubdirectory("sluice-export-out-").FullName;

    public void Dispose() => Directory.Delete(_out, recursive: true);

    private string Out(params string[] parts) => Path.Combine([_out, .. parts]);

    [Fact]
    public async Task Ids_are_built_from_the_partition_column_and_the_unique_key()
    {
        var summary = await project.ExportAsync(_out, ExportFormat.Jsonl, null, "daily_sales");

        var expected = SalesData.Daily();
        var lines = JsonLines(Out("daily_sales.jsonl"));
        Assert.Equal(expected.Select(d => d.Id), lines.Select(l => l.GetProperty("_id").GetString()));
        Assert.Contains("2025-01-01|d\\|x\\\\y", lines.Select(l => l.GetProperty("_id").GetString()));
        Assert.Equal(["d", "tenant"], summary.Models.Single().Target.KeyColumns);
        Assert.All(lines, line => Assert.Equal("_id", line.EnumerateObject().First().Name));
    }

    [Fact]
    public async Task A_snapshot_is_keyed_by_its_version_id()
    {
        var summary = await project.ExportAsync(_out, ExportFormat.Jsonl, null, "tenant_history");

        Assert.Equal(["scd_id"], summary.Models.Single().Target.KeyColumns);
        var lines = JsonLines(Out("tenant_history.jsonl"));
        Assert.Equal(SalesData.Tenants.Order(StringComparer.Ordinal), lines.Select(l => l.GetProperty("tenant").GetString()).Order(StringComparer.Ordinal));
        Assert.All(lines, l => Assert.Equal(l.GetProperty("scd_id").GetString(), l.GetProperty("_id").GetString()));
        Assert.Equal(lines.Select(l => l.GetProperty("_id").GetString()).Order(StringComparer.Ordinal), lines.Select(l => l.GetProperty("_id").GetString()));
    }

    [Fact]
    public async Task Jsonl_values_match_the_source_rows()
    {
        await project.ExportAsync(_out, ExportFormat.Jsonl, null, "daily_sales");

        var actual = JsonLines(Out("daily_sales.jsonl")).Select(l => new DailySales(
            DateOnly.ParseExact(l.GetProperty("d").GetString()!, "yyyy-MM-dd", CultureInfo.InvariantCulture),
            l.GetProperty("tenant").GetString()!,
            l.GetProperty("orders").GetInt64(),
            l.GetProperty("revenue").GetDecimal(),
            DateTime.ParseExact(l.GetProperty("last_sale_at").GetString()!, "yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture)));
        Assert.Equal(SalesData.Daily(), actual);
    }

    [Fact]
    public async Task Awkward_values_are_written_exactly_in_jsonl_and_csv()
    {
        await project.ExportAsync(_out, ExportFormat.Jsonl, null, "tenants");
        await project.ExportAsync(_out, ExportFormat.Csv, null, "tenants");

        var orders = SalesData.Sales.GroupBy(s => s.Tenant).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(
            string.Concat(SalesData.Tenants.Order(StringComparer.Ordinal).Select(t =>
                $$"""{"_id":"{{Escape(Id(t))}}","tenant":"{{Escape(t)}}","orders":{{orders[t]}},"active":true,"nothing":null,"empty_text":"","remark":"first line\nsecond, \"quoted\"","float_sum":0.30000000000000004}""" + "\n")),
            File.ReadAllText(Out("tenants.jsonl")));
        Assert.Equal(
            "_id,tenant,orders,active,nothing,empty_text,remark,float_sum\n"
            + string.Concat(SalesData.Tenants.Order(StringComparer.Ordinal).Select(t =>
                $"{Id(t)},{t},{orders[t]},true,,\"\",\"first line\nsecond, \"\"quoted\"\"\",0.30000000000000004\n")),
            File.ReadAllText(Out("tenants.csv")));

        static string Id(string tenant) => DocumentId.Of([tenant]);
        static string Escape(string text) => text.Replace("\\", "\\\\", StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(ExportFormat.Jsonl)]
    [InlineData(ExportFormat.Csv)]
    [InlineData(ExportFormat.Parquet)]
    public async Task Two_exports_of_the_same_rows_are_byte_identical(ExportFormat format)
    {
        await project.ExportAsync(Out("first"), format, null, "daily_sales", "tenants");
        var first = Files(Out("first"));
        await project.ExportAsync(Out("second"), format, null, "daily_sales", "tenants");
        await project.ExportAsync(Out("first"), format, null, "daily_sales", "tenants");

        var extension = ExportFormats.Name(format);
        Assert.Equal([$"daily_sales.{extension}", $"tenants.{extension}"], first.Keys.Order());
        foreach (var (name, bytes) in first)
        {
            Assert.True(bytes.AsSpan().SequenceEqual(File.ReadAllBytes(Out("second", name))), $"{name} differs between two exports to two folders");
            Assert.True(bytes.AsSpan().SequenceEqual(File.ReadAllBytes(Out("first", name))), $"{name} differs after it was exported again over itself");
        }
    }

    [Theory]
    [InlineData(ExportFormat.Jsonl)]
    [InlineData(ExportFormat.Parquet)]
    public async Task A_model_of_several_row_groups_stored_out_of_order_exports_in_key_order_byte_identically(ExportFormat format)
    {
        var file = $"numbers.{ExportFormats.Name(format)}";
        var summary = await project.ExportAsync(Out("first"), format, null, "numbers");
        await project.ExportAsync(Out("second"), format, null, "numbers");

        Assert.Equal(ExportProject.NumbersRows, summary.Models.Single().Rows);
        Assert.True(File.ReadAllBytes(Out("first", file)).AsSpan().SequenceEqual(File.ReadAllBytes(Out("second", file))), $"{file} differs between two exports");
        var check = format == ExportFormat.Parquet
            ? (await ParquetRowsAsync(Out("first", file), "count(*), cast(min(n) as bigint), cast(max(n) as bigint), cast(sum(n) as bigint), bool_and(_id = cast(n as varchar)), bool_and(third = n / 3)")).Single()
            : null;
        if (check is not null)
        {
            Assert.Equal([(long)ExportProject.NumbersRows, 1L, (long)ExportProject.NumbersRows, (long)ExportProject.NumbersRows * (ExportProject.NumbersRows + 1) / 2, true, true], check);
        }

        // The file's order is the key's.
        var ids = format == ExportFormat.Parquet
            ? (await ParquetRowsAsync(Out("first", file), "n")).Select(r => Convert.ToInt64(r[0], CultureInfo.InvariantCulture)).ToList()
            : [.. File.ReadLines(Out("first", file)).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("n").GetInt64())];
        Assert.Equal(Enumerable.Range(1, ExportProject.NumbersRows).Select(n => (long)n), ids);
    }

    [Fact]
    public async Task Parquet_reads_back_with_typed_columns_and_the_same_rows()
    {
        await project.ExportAsync(_out, ExportFormat.Parquet, null, "daily_sales");

        var file = Out("daily_sales.parquet");
        var rows = await ParquetRowsAsync(file, "_id, d, tenant, orders, cast(revenue as decimal(18, 2)), last_sale_at");
        Assert.Equal(
            SalesData.Daily().Select(d => (object?[])[d.Id, d.Day, d.Tenant, d.Orders, d.Revenue, d.LastSaleAt]),
            rows);
        var types = (await ParquetRowsAsync(file, "typeof(_id), typeof(d), typeof(orders), typeof(revenue), typeof(last_sale_at)", "limit 1")).Single();
        Assert.Equal("VARCHAR", types[0]);
        Assert.Equal("DATE", types[1]);
        Assert.Equal("BIGINT", types[2]);
        Assert.StartsWith("DECIMAL(38,", (string)types[3]!, StringComparison.Ordinal);
        Assert.Equal("TIMESTAMP", types[4]);
    }

    [Fact]
    public async Task A_range_exports_only_those_days_of_partitioned_models_and_every_row_of_the_others()
    {
        var range = new DayRange(new DateOnly(2025, 1, 3), new DateOnly(2025, 1, 5));

        var summary = await project.ExportAsync(_out, ExportFormat.Jsonl, range, "daily_sales", "tenants");

        var expected = SalesData.Daily(range.From, range.To);
        Assert.Equal(expected.Select(d => d.Id), JsonLines(Out("daily_sales.jsonl")).Select(l => l.GetProperty("_id").GetString()));
        Assert.Equal(SalesData.Tenants.Count, JsonLines(Out("tenants.jsonl")).Count);
        var daily = summary.Models.Single(m => m.Target.Name == "daily_sales");
        Assert.Equal(expected.Count, daily.Rows);
        Assert.Equal(range, daily.Target.Range);
        var tenants = summary.Models.Single(m => m.Target.Name == "tenants");
        Assert.Null(tenants.Target.Range);
        Assert.Contains("is not partitioned, so --from/--to do not apply to it", tenants.Target.Note, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(ExportFormat.Jsonl, "")]
    [InlineData(ExportFormat.Csv, "_id,d,tenant,orders,revenue,last_sale_at\n")]
    public async Task A_range_without_rows_writes_a_file_without_rows(ExportFormat format, string content)
    {
        var empty = new DayRange(new DateOnly(2024, 6, 1), new DateOnly(2024, 6, 30));

        var summary = await project.ExportAsync(_out, format, empty, "daily_sales");

        Assert.Equal(0, summary.Models.Single().Rows);
        Assert.Equal(content, File.ReadAllText(Out($"daily_sales.{ExportFormats.Name(format)}")));
    }

    [Fact]
    public async Task A_range_without_rows_writes_a_parquet_file_with_the_columns_and_no_rows()
    {
        await project.ExportAsync(_out, ExportFormat.Parquet, new DayRange(new DateOnly(2024, 6, 1), new DateOnly(2024, 6, 30)), "daily_sales");

        Assert.Equal([0L], (await ParquetRowsAsync(Out("daily_sales.parquet"), "count(*)")).Single());
        Assert.Empty(await ParquetRowsAsync(Out("daily_sales.parquet"), "_id, d, tenant, orders, revenue, last_sale_at"));
    }

    [Fact]
    public async Task Models_that_cannot_be_exported_fail_alone_with_their_reason_and_keep_their_previous_file()
    {
        await File.WriteAllTextAsync(Out("dupes.jsonl"), "{\"previous\":true}\n");

        var summary = await project.ExportAsync(_out, ExportFormat.Jsonl, null, "path:models/marts");

        Assert.Equal(["clash", "daily_sales", "dupes", "no_key", "tenants", "unbuilt"], summary.Models.Select(m => m.Target.Name));
        Assert.Equal((2, 4), (summary.Exported, summary.Failed));
        Assert.Equal(SalesData.Daily().Count + SalesData.Tenants.Count, summary.TotalRows);
        Assert.Equal([new SkippedModel("helper", "ephemeral models have no table or view; their SQL is inlined where they are used")], summary.Skipped);
        var errors = summary.Models.Where(m => m.Status == ExportStatus.Failed).ToDictionary(m => m.Target.Name);
        Assert.StartsWith("model 'no_key' (models/marts/no_key.sql) has no unique_key, so its rows have no stable _id; add unique_key", errors["no_key"].Error, StringComparison.Ordinal);
        Assert.StartsWith("model 'dupes' (models/marts/dupes.sql): more than one row has the _id 'acme' (key: tenant)", errors["dupes"].Error, StringComparison.Ordinal);
        Assert.StartsWith("model 'clash' (models/marts/clash.sql) has a column named _id", errors["clash"].Error, StringComparison.Ordinal);
        Assert.Equal("model 'unbuilt' has not been built: marts.unbuilt does not exist in the warehouse; build it with `sluice run --select unbuilt`, then export again.", errors["unbuilt"].Error);
        Assert.True(errors["no_key"].IsConfigurationFault && errors["dupes"].IsConfigurationFault && errors["clash"].IsConfigurationFault);
        Assert.False(errors["unbuilt"].IsConfigurationFault);

        Assert.Equal("{\"previous\":true}\n", File.ReadAllText(Out("dupes.jsonl")));
        Assert.Equal(
            [".sluice-export.lock", "daily_sales.jsonl", "dupes.jsonl", ExportSummary.FileName, "tenants.jsonl"],
            Directory.EnumerateFiles(_out).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task The_summary_file_records_each_model_with_its_rows_file_key_and_error()
    {
        await project.ExportAsync(_out, ExportFormat.Csv, new DayRange(new DateOnly(2025, 1, 2), new DateOnly(2025, 1, 2)), "daily_sales", "no_key");

        using var summary = JsonDocument.Parse(File.ReadAllBytes(Out(ExportSummary.FileName)));
        var root = summary.RootElement;
        Assert.Equal(project.Warehouse.Engine, root.GetProperty("warehouse").GetString());
        Assert.Equal("csv", root.GetProperty("format").GetString());
        Assert.Equal(["daily_sales", "no_key"], root.GetProperty("select").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal(("2025-01-02", "2025-01-02"), (root.GetProperty("from").GetString(), root.GetProperty("to").GetString()));
        Assert.Equal((1, 1), (root.GetProperty("exported").GetInt32(), root.GetProperty("failed").GetInt32()));
        var expected = SalesData.Daily(new DateOnly(2025, 1, 2), new DateOnly(2025, 1, 2)).Count;
        Assert.Equal(expected, root.GetProperty("total_rows").GetInt64());

        var models = root.GetProperty("models").EnumerateArray().ToDictionary(m => m.GetProperty("model").GetString()!);
        var daily = models["daily_sales"];
        Assert.Equal("exported", daily.GetProperty("status").GetString());
        Assert.Equal("daily_sales.csv", daily.GetProperty("file").GetString());
        Assert.Equal("marts.daily_sales", daily.GetProperty("relation").GetString());
        Assert.Equal(expected, daily.GetProperty("rows").GetInt64());
        Assert.Equal(new FileInfo(Out("daily_sales.csv")).Length, daily.GetProperty("bytes").GetInt64());
        Assert.Equal(["d", "tenant"], daily.GetProperty("id_columns").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal("d", daily.GetProperty("range").GetProperty("column").GetString());
        Assert.Equal(JsonValueKind.Null, daily.GetProperty("error").ValueKind);

        var noKey = models["no_key"];
        Assert.Equal("failed", noKey.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, noKey.GetProperty("rows").ValueKind);
        Assert.Contains("has no unique_key", noKey.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    private static List<JsonElement> JsonLines(string path) =>
        [.. File.ReadAllLines(path).Select(line => JsonDocument.Parse(line).RootElement)];

    private static Dictionary<string, byte[]> Files(string directory) =>
        Directory.EnumerateFiles(directory)
            .Where(f => !Path.GetFileName(f).StartsWith('.') && Path.GetFileName(f) != ExportSummary.FileName)
            .ToDictionary(f => Path.GetFileName(f), File.ReadAllBytes);

    /// <summary>The rows of a Parquet file as DuckDB's read_parquet reads them, in the file's order.</summary>
    private static async Task<List<object?[]>> ParquetRowsAsync(string path, string columns, string rest = "")
    {
        await using var duckDb = WarehouseFactory.Create(new DuckDbWarehouseSettings(":memory:"), Path.GetTempPath());
        await using var session = await duckDb.OpenSessionAsync();
        await using var reader = await session.QueryAsync($"select {columns} from read_parquet('{path.Replace("'", "''", StringComparison.Ordinal)}') {rest}");
        var rows = new List<object?[]>();
        while (await reader.ReadAsync())
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            }

            rows.Add(row);
        }

        return rows;
    }
}
