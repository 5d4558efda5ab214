using System.Globalization;
using Sluice.Core.Models;
using Sluice.Core.Project;
using Sluice.Core.Warehouse;
using Sluice.Models.Run;
using Sluice.Testing;
using Sluice.Warehouses;

namespace Sluice.Models.Tests;

/// <summary>
/// A fresh copy of a test project (Projects/shop by default, a dbt project) on a warehouse chosen
/// by the subclass. Values are checked against SQL run in the test on the seed tables, never
/// against what the models computed.
/// </summary>
public abstract class ShopProjectTestBase : IAsyncLifetime
{
    /// <summary>The folder under Projects/ that the test copies.</summary>
    protected virtual string TemplateName => "shop";

    private string Template => Path.Combine(AppContext.BaseDirectory, "Projects", TemplateName);

    protected string ProjectDirectory { get; } = Directory.CreateTempSubdirectory("sluice-models-").FullName;

    protected IWarehouse Warehouse { get; private set; } = null!;

    protected IWarehouseSession Session { get; private set; } = null!;

    /// <summary>A profiles.yml for the project, or null to use the embedded DuckDB fallback.</summary>
    protected abstract Task<string?> ProfilesAsync();

    public async Task InitializeAsync()
    {
        TemplateCopy.Into(Template, ProjectDirectory);

        if (await ProfilesAsync() is { } profiles)
        {
            await File.WriteAllTextAsync(Path.Combine(ProjectDirectory, DbtProfiles.FileName), profiles);
        }

        var project = ProjectLoader.Load(ProjectDirectory, Environment);
        Warehouse = WarehouseFactory.Create(project.Warehouse, project.Directory);
        Session = await Warehouse.OpenSessionAsync();
    }

    public async Task DisposeAsync()
    {
        await Session.DisposeAsync();
        await Warehouse.DisposeAsync();
        await DisposeWarehouseEngineAsync();
        try
        {
            Directory.Delete(ProjectDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>Stops what <see cref="ProfilesAsync"/> started for this test alone.</summary>
    protected virtual ValueTask DisposeWarehouseEngineAsync() => ValueTask.CompletedTask;

    /// <summary>No environment: a developer's DBT_PROFILES_DIR or ~/.dbt must not leak into tests.</summary>
    protected static string? Environment(string name) => null;

    protected ParsedProject Parse(IReadOnlyDictionary<string, object?>? vars = null) =>
        ProjectParser.Parse(ProjectLoader.Load(ProjectDirectory, Environment), vars);

    /// <summary>
    /// Builds what <paramref name="select"/> picks for January and February 2025. By default,
    /// everything: the seeds first, because the project's sources read them and, as in dbt, a
    /// source is not a node that orders the graph.
    /// </summary>
    protected async Task<IReadOnlyList<NodeResult>> BuildAsync(
        string select = "",
        bool fullRefresh = false,
        bool force = false,
        IReadOnlyDictionary<string, object?>? vars = null,
        string from = "2025-01-01",
        string to = "2025-02-28",
        int concurrency = 1)
    {
        if (select.Length == 0)
        {
            var seeds = await BuildAsync("resource_type:seed");
            var rest = await BuildAsync("resource_type:model resource_type:snapshot", fullRefresh, force, vars, from, to, concurrency);
            return [.. seeds, .. rest];
        }

        var project = Parse(vars);
        var selected = NodeSelectorFor(project, select);
        var options = new RunOptions
        {
            From = DateOnly.Parse(from, CultureInfo.InvariantCulture),
            To = DateOnly.Parse(to, CultureInfo.InvariantCulture),
            FullRefresh = fullRefresh,
            Force = force,
            Threads = 4,
            PartitionConcurrency = concurrency,
        };
        return await new ModelRunner(project, Warehouse).RunAsync(selected, options, new SilentRun(), CancellationToken.None);
    }

    protected static IReadOnlySet<string> NodeSelectorFor(ParsedProject project, string select) =>
        Core.Graph.NodeSelector.Select(project.Graph, select.Length == 0 ? [] : [select], []);

    /// <summary>Replaces a seed file's rows (header kept) and reloads the seeds.</summary>
    protected async Task ReseedAsync(string seed, params string[] rows)
    {
        var path = Path.Combine(ProjectDirectory, "seeds", seed + ".csv");
        var header = File.ReadLines(path).First();
        await File.WriteAllLinesAsync(path, [header, .. rows]);
        AssertAllSucceeded(await BuildAsync("resource_type:seed"));
    }

    protected void WriteModel(string relativePath, string sql) =>
        File.WriteAllText(Path.Combine(ProjectDirectory, relativePath), sql);

    /// <summary>Rows as text, one string per row with '|' between values, in the query's order.</summary>
    protected async Task<List<string>> RowsAsync(string sql)
    {
        var rows = new List<string>();
        await using var reader = await Session.QueryAsync(sql);
        while (await reader.ReadAsync())
        {
            var values = new string[reader.FieldCount];
            for (var i = 0; i < reader.FieldCount; i++)
            {
                values[i] = Text(reader.IsDBNull(i) ? null : reader.GetValue(i));
            }

            rows.Add(string.Join("|", values));
        }

        return rows;
    }

    protected async Task<long> CountAsync(string sql) =>
        Convert.ToInt64(await Session.ScalarAsync(sql), CultureInfo.InvariantCulture);

    protected static void AssertAllSucceeded(IReadOnlyList<NodeResult> results)
    {
        var failures = results.Where(r => r.Status != State.JobStatus.Success).Select(r => $"{r.Name}: {r.Status} {r.Error}").ToList();
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    private static string Text(object? value) => value switch
    {
        null => "NULL",
        DateTime time => time.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
        DateTimeOffset time => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
        DateOnly day => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        bool flag => flag ? "true" : "false",
        decimal number => number.ToString("0.00", CultureInfo.InvariantCulture),
        double number => number.ToString("0.00", CultureInfo.InvariantCulture),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };
}
