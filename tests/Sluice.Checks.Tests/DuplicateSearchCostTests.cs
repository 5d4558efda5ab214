using System.Globalization;
using Sluice.Core.Models;
using Sluice.Core.Project;
using Sluice.Core.Warehouse;
using Sluice.Warehouses;

namespace Sluice.Checks.Tests;

/// <summary>
/// What a duplicate search asks of DuckDB grows with the table it searches. DuckDB's perfect hash
/// aggregate allocates a slot for every possible key, per thread, before reading a row; a
/// threshold sized for ten million rows made a unique check on a thousand rows allocate millions
/// of slots. The statements the engine ran are read from its own query log.
/// </summary>
public sealed class DuplicateSearchCostTests : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("sluice-duplicate-cost-").FullName;
    private IWarehouse _warehouse = null!;
    private IWarehouseSession _session = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Path.Combine(_directory, "models"));
        await File.WriteAllTextAsync(Path.Combine(_directory, "sluice.yml"), "name: cost\nwarehouse:\n  type: duckdb\n  path: cost.duckdb\n");
        await File.WriteAllTextAsync(Path.Combine(_directory, "models", "schema.yml"), """
            version: 2
            sources:
              - name: raw
                schema: raw
                tables:
                  - name: keys
                    tests:
                      - unique_combination_of_columns: {combination_of_columns: [id, day]}
                    columns:
                      - name: id
                        tests: [unique]
            """);
        _warehouse = WarehouseFactory.Create(ProjectLoader.Load(_directory, _ => null).Warehouse, _directory);
        _session = await _warehouse.OpenSessionAsync();
        await _session.ExecuteAsync("create schema raw");
    }

    public async Task DisposeAsync()
    {
        await _session.DisposeAsync();
        await _warehouse.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task A_unique_check_on_a_thousand_rows_with_ids_in_the_millions_leaves_the_engines_threshold_alone()
    {
        // Ids a thousand apart: their range needs 2^20 slots, which a larger threshold would allocate.
        var results = await RunAsync("select i * 1000 as id, i % 7 as day from range(1000) t(i) union all select 5000, 99");

        Assert.Equal(2, results["source_unique_raw_keys_id"].FailingRows);
        Assert.Equal(0, results["source_unique_combination_of_columns_raw_keys"].FailingRows);
        Assert.Empty(await ThresholdsSetAsync());
    }

    [Fact]
    public async Task A_unique_check_on_a_large_table_sizes_the_perfect_hash_table_by_its_rows()
    {
        const long Rows = 100_000;
        var results = await RunAsync($"select i as id, i % 7 as day from range({Rows}) t(i) union all select 5, 99");

        Assert.Equal(2, results["source_unique_raw_keys_id"].FailingRows);

        // At most twice as many slots as rows, and more than DuckDB's default of 2^12.
        var thresholds = await ThresholdsSetAsync();
        Assert.NotEmpty(thresholds);
        Assert.All(thresholds, bits => Assert.InRange(1L << bits, Rows + 1, 2 * (Rows + 1)));
    }

    private async Task<Dictionary<string, CheckResult>> RunAsync(string rows)
    {
        await _session.ExecuteAsync($"create or replace table raw.keys as {rows}");
        await _session.ExecuteAsync("call enable_logging('QueryLog')");
        var project = ProjectParser.Parse(ProjectLoader.Load(_directory, _ => null));
        var results = await new CheckRunner(project, _warehouse).RunAsync(project.Checks, new CheckRunOptions(), new Ignored(), CancellationToken.None);
        Assert.All(results, r => Assert.NotEqual(CheckStatus.Error, r.Status));
        return results.ToDictionary(r => r.Check.Name, StringComparer.Ordinal);
    }

    // The perfect_ht_threshold values set while the checks ran.
    private async Task<List<int>> ThresholdsSetAsync()
    {
        var thresholds = new List<int>();
        await using var reader = await _session.QueryAsync(
            "select regexp_extract(message, 'perfect_ht_threshold\\s*=\\s*(\\d+)', 1) from duckdb_logs where type = 'QueryLog' and message ilike 'set perfect_ht_threshold%'");
        while (await reader.ReadAsync())
        {
            thresholds.Add(int.Parse((string)reader.GetValue(0)!, CultureInfo.InvariantCulture));
        }

        return thresholds;
    }

    private sealed class Ignored : ICheckObserver
    {
        public void Finished(CheckResult result)
        {
        }
    }
}
