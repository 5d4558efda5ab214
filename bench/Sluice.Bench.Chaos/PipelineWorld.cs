using System.Globalization;
using System.Security.Cryptography;
using Npgsql;
using Sluice.Core.Project;
using Sluice.Core.Warehouse;
using Sluice.Demo.ApplyLens;
using Sluice.Testing;
using Sluice.Warehouses;

namespace Sluice.Bench.Chaos;

/// <summary>
/// The ApplyLens pipeline the chaos happens to: its product database on a PostgreSQL server of
/// its own, the project under test, and a reference copy of the project on its own warehouse
/// that is never disturbed, synced and built from the same source to say what the marts must hold.
/// </summary>
public sealed class PipelineWorld : IAsyncDisposable
{
    /// <summary>Days of marts every build covers, ending at the source's last day.</summary>
    public const int WindowDays = 28;

    private const string SourceUrlVariable = ApplyLensProject.SourceUrlVariable;
    private const string WarehouseVariable = "CHAOS_WAREHOUSE_URL";
    private const string ReferenceVariable = "CHAOS_REFERENCE_URL";

    private PipelineWorld(ChaosWarehouse kind, string work, PostgresServer source, PostgresServer? warehouse, NpgsqlDataSource database, ApplyLensState state, SluiceCli cli, string password) =>
        (Kind, Work, SourceServer, WarehouseServer, Source, State, Cli, Password) = (kind, work, source, warehouse, database, state, cli, password);

    public ChaosWarehouse Kind { get; }

    public string Work { get; }

    /// <summary>The product's database server.</summary>
    public PostgresServer SourceServer { get; }

    /// <summary>The warehouse's server, for a PostgreSQL warehouse.</summary>
    public PostgresServer? WarehouseServer { get; }

    public NpgsqlDataSource Source { get; }

    public ApplyLensState State { get; }

    public SluiceCli Cli { get; }

    /// <summary>Both servers' password, which no output may show.</summary>
    public string Password { get; }

    public string ProjectDirectory => Path.Combine(Work, "project");

    public string ReferenceDirectory => Path.Combine(Work, "reference");

    /// <summary>The range every build and backfill covers.</summary>
    public (DateOnly From, DateOnly To) Window => (State.Last.AddDays(1 - WindowDays), State.Last);

    /// <summary>The window as command-line options.</summary>
    public string[] WindowOptions => ["--from", Day(Window.From), "--to", Day(Window.To)];

    public static async Task<PipelineWorld> StartAsync(ChaosWarehouse kind, string work, string sluiceDll, int seed)
    {
        var password = "chaos-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
        var source = await PostgresServer.StartPrivateAsync(password);
        var warehouse = kind == ChaosWarehouse.Postgres ? await PostgresServer.StartPrivateAsync(password) : null;
        var sourceUrl = await source.CreateDatabaseAsync("applylens");
        var environment = new Dictionary<string, string>(StringComparer.Ordinal) { [SourceUrlVariable] = sourceUrl };
        if (warehouse is not null)
        {
            environment[WarehouseVariable] = await warehouse.CreateDatabaseAsync("chaos");
            environment[ReferenceVariable] = await warehouse.CreateDatabaseAsync("reference");
        }

        var last = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-1);
        var state = ApplyLensState.Build(seed, last.AddDays(1 - WindowDays - 7), last);
        var database = NpgsqlDataSource.Create(source.ConnectionString(new Uri(sourceUrl).AbsolutePath.TrimStart('/')));
        await ApplyLensPostgres.LoadAsync(database, state);
        var world = new PipelineWorld(kind, work, source, warehouse, database, state, new SluiceCli(sluiceDll, environment), password);
        world.WriteProject(world.ProjectDirectory, WarehouseVariable);
        world.WriteProject(world.ReferenceDirectory, ReferenceVariable);
        return world;
    }

    /// <summary>Every secret the suite handed to Sluice: the servers' password and the URLs holding it.</summary>
    public IEnumerable<string> Secrets => [Password, .. Cli.Environment.Values];

    /// <summary>A day passes in the product's database: new mail, rescoring, purges, applications moving on.</summary>
    public async Task AdvanceAsync()
    {
        var (added, changed) = State.Advance();
        await ApplyLensPostgres.ApplyAsync(Source, added, changed);
    }

    /// <summary>Syncs and builds the reference project over the window; it must succeed.</summary>
    public async Task UpdateReferenceAsync()
    {
        await MustAsync(ReferenceDirectory, ["sync"]);
        await MustAsync(ReferenceDirectory, ["build", .. WindowOptions]);
    }

    /// <summary>Runs a command on <paramref name="directory"/> that must exit 0.</summary>
    public async Task<CliResult> MustAsync(string directory, IReadOnlyList<string> args)
    {
        var result = await Cli.RunAsync(directory, args);
        return result.ExitCode == 0
            ? result
            : throw new InvalidOperationException($"sluice {string.Join(' ', args)} in {directory} exited {result.ExitCode}:\n{result.Output}");
    }

    /// <summary>A session on the warehouse of the project in <paramref name="directory"/>; on DuckDB no other process may hold the file.</summary>
    public async Task<T> WithWarehouseAsync<T>(string directory, Func<IWarehouseSession, Task<T>> action)
    {
        var project = ProjectLoader.Load(directory, name => Cli.Environment.GetValueOrDefault(name));
        await using var warehouse = WarehouseFactory.Create(project.Warehouse, project.Directory);
        await using var session = await warehouse.OpenSessionAsync();
        return await action(session);
    }

    public async ValueTask DisposeAsync()
    {
        await Source.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        await SourceServer.DisposeAsync();
        if (WarehouseServer is not null)
        {
            await WarehouseServer.DisposeAsync();
        }
    }

    public static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private void WriteProject(string directory, string warehouseVariable)
    {
        ApplyLensProject.Write(directory, csv: false);
        if (Kind == ChaosWarehouse.Postgres)
        {
            var yml = Path.Combine(directory, "sluice.yml");
            var text = File.ReadAllText(yml);
            var duckdb = "  type: duckdb\n  path: warehouse.duckdb\n";
            File.WriteAllText(yml, text.Contains(duckdb, StringComparison.Ordinal)
                ? text.Replace(duckdb, $"  type: postgres\n  url: ${{{warehouseVariable}}}\n", StringComparison.Ordinal)
                : throw new InvalidOperationException($"{yml} no longer names its DuckDB warehouse as the chaos suite expects."));
        }
    }
}
