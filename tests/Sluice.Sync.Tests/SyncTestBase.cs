using System.Globalization;
using Npgsql;
using Sluice.Core.Project;
using Sluice.Core.Warehouse;
using Sluice.Sync.Engine;
using Sluice.Testing;
using Sluice.Warehouses;

namespace Sluice.Sync.Tests;

/// <summary>
/// A throwaway project with a real PostgreSQL source database and a warehouse chosen by the
/// subclass. Values are checked against SQL run on the source, never against Sluice's output.
/// </summary>
public abstract class SyncTestBase : IAsyncLifetime
{
    protected string ProjectDirectory { get; } = Directory.CreateTempSubdirectory("sluice-sync-").FullName;

    protected string SourceUrl { get; private set; } = string.Empty;

    protected string SourceConnectionString { get; private set; } = string.Empty;

    protected IWarehouse Warehouse { get; private set; } = null!;

    protected List<string> Warnings { get; } = [];

    /// <summary>Called on the sync's thread after each committed batch, with the rows written so far.</summary>
    protected Action<long>? OnBatchCommitted { get; set; }

    /// <summary>The warehouse section of sluice.yml.</summary>
    protected abstract Task<string> WarehouseYamlAsync();

    public async Task InitializeAsync()
    {
        var server = await PostgresServer.GetAsync();
        SourceUrl = await server.CreateDatabaseAsync("source");
        SourceConnectionString = server.ConnectionString(SourceUrl[(SourceUrl.LastIndexOf('/') + 1)..]);
        WriteProject(string.Empty, await WarehouseYamlAsync());
    }

    public async Task DisposeAsync()
    {
        if (Warehouse is not null)
        {
            await Warehouse.DisposeAsync();
        }

        await DisposeWarehouseEngineAsync();
        try
        {
            Directory.Delete(ProjectDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>Stops what <see cref="WarehouseYamlAsync"/> started for this test alone.</summary>
    protected virtual ValueTask DisposeWarehouseEngineAsync() => ValueTask.CompletedTask;

    private string _warehouseYaml = string.Empty;

    /// <summary>Writes sluice.yml with the given sources section (YAML under `sources:`).</summary>
    protected void WriteProject(string sources, string? warehouseYaml = null)
    {
        _warehouseYaml = warehouseYaml ?? _warehouseYaml;
        var text = $"name: synctest\n{_warehouseYaml}\n" + (sources.Length == 0 ? string.Empty : "sources:\n" + sources);
        File.WriteAllText(Path.Combine(ProjectDirectory, SluiceProject.FileName), text);
    }

    /// <summary>A postgres source named app with the given tables (YAML list items, indented by 6).</summary>
    protected void WriteSource(string tables, string extra = "") =>
        WriteProject($"  - name: app\n    type: postgres\n    url: {SourceUrl}\n{extra}    tables:\n{tables}");

    protected async Task SourceAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(SourceConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    protected async Task<List<string>> SourceRowsAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(SourceConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        return await ReadAllAsync(reader);
    }

    protected async Task<List<string>> WarehouseRowsAsync(string sql)
    {
        await using var session = await OpenWarehouseAsync();
        await using var reader = await session.QueryAsync(sql);
        return await ReadAllAsync(reader);
    }

    /// <summary>The names of the tables (not views) in a warehouse schema.</summary>
    protected async Task<List<string>> WarehouseTablesAsync(string schema)
    {
        await using var session = await OpenWarehouseAsync();
        return [.. (await session.ListTablesAsync(schema)).Select(t => t.Name)];
    }

    protected async Task<object?> WarehouseScalarAsync(string sql)
    {
        await using var session = await OpenWarehouseAsync();
        return await session.ScalarAsync(sql);
    }

    protected async Task<long> WarehouseCountAsync(string sql) => Convert.ToInt64(await WarehouseScalarAsync(sql), CultureInfo.InvariantCulture);

    protected async Task<IWarehouseSession> OpenWarehouseAsync()
    {
        Warehouse ??= WarehouseFactory.Create(ProjectLoader.Load(ProjectDirectory).Warehouse, ProjectDirectory);
        return await Warehouse.OpenSessionAsync();
    }

    protected async Task<IReadOnlyList<TableSyncResult>> SyncAsync(SyncOptions? options = null)
    {
        var project = ProjectLoader.Load(ProjectDirectory);
        Warehouse ??= WarehouseFactory.Create(project.Warehouse, ProjectDirectory);
        var observer = new RecordingObserver(this);
        return await new SyncRunner(project, Warehouse, observer).RunAsync(options ?? new SyncOptions { RetryDelay = TimeSpan.FromMilliseconds(50) }, CancellationToken.None);
    }

    protected async Task<TableSyncResult> SyncOneAsync(SyncOptions? options = null)
    {
        var results = await SyncAsync(options);
        var result = Assert.Single(results);
        return result;
    }

    /// <summary>A value in one spelling for both engines: instants in UTC, decimals without trailing zeros.</summary>
    protected static string Canonical(object? value) => value switch
    {
        null or DBNull => "NULL",
        DateTime { Kind: DateTimeKind.Local } t => t.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture),
        DateTime t => t.ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture),
        DateTimeOffset t => t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture),
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        decimal d => (d / 1.0000000000000000000000000000m).ToString(CultureInfo.InvariantCulture),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        float f => f.ToString("R", CultureInfo.InvariantCulture),
        byte[] b => Convert.ToHexString(b),
        TimeSpan t => t.ToString(@"hh\:mm\:ss\.ffffff", CultureInfo.InvariantCulture),
        TimeOnly t => t.ToString("HH:mm:ss.ffffff", CultureInfo.InvariantCulture),
        NpgsqlTypes.NpgsqlInterval i => $"{i.Months} months {i.Days} days {i.Time} us",
        Sluice.DuckDb.DuckDbInterval i => $"{i.Months} months {i.Days} days {i.Micros} us",
        Int128 h => h.ToString(CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "NULL",
    };

    private static async Task<List<string>> ReadAllAsync(System.Data.Common.DbDataReader reader)
    {
        var rows = new List<string>();
        while (await reader.ReadAsync())
        {
            var values = new string[reader.FieldCount];
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = Canonical(reader.IsDBNull(i) ? null
                    : reader.GetDataTypeName(i) == "interval" ? reader.GetFieldValue<NpgsqlTypes.NpgsqlInterval>(i)
                    : reader.GetValue(i));
            }

            rows.Add(string.Join(" | ", values));
        }

        return rows;
    }

    private sealed class RecordingObserver(SyncTestBase test) : ISyncObserver
    {
        public void TableStarted(string source, string table, long? estimatedRows)
        {
        }

        public void Progress(string source, string table, long rowsRead)
        {
        }

        public void BatchCommitted(string source, string table, long rowsWritten, string? watermark) => test.OnBatchCommitted?.Invoke(rowsWritten);

        public void Reconciled(string source, string table, long rowsDeleted)
        {
        }

        public void ParityChecked(Parity.ParityReport report)
        {
        }

        public void Warning(string message)
        {
            lock (test.Warnings)
            {
                test.Warnings.Add(message);
            }
        }

        public void TableFinished(TableSyncResult result)
        {
        }
    }
}
