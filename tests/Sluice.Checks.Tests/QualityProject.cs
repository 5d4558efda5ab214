using System.Globalization;
using Sluice.Core.Models;
using Sluice.Core.Project;
using Sluice.Core.Warehouse;
using Sluice.Models.Run;
using Sluice.Testing;
using Sluice.Warehouses;

namespace Sluice.Checks.Tests;

/// <summary>
/// A copy of Projects/quality with its seeds and models built, on a warehouse chosen by the
/// subclass, shared by the tests of a class. Each test writes the checks of its case into
/// models/checks.yml (or a singular check into tests/) and runs them.
/// </summary>
public abstract class QualityProject : IAsyncLifetime
{

    /// <summary>The clock freshness checks see: the day after the last order.</summary>
    public static readonly DateTimeOffset Now = new(2025, 1, 11, 0, 0, 0, TimeSpan.Zero);

    public string ProjectDirectory { get; } = Directory.CreateTempSubdirectory("sluice-checks-").FullName;

    public IWarehouse Warehouse { get; private set; } = null!;

    public IWarehouseSession Session { get; private set; } = null!;

    /// <summary>The folder under Projects/ the project is copied from, also its profile's name.</summary>
    protected virtual string TemplateName => "quality";

    /// <summary>A profiles.yml for the project, or null for the embedded DuckDB fallback.</summary>
    protected abstract Task<string?> ProfilesAsync();

    public async Task InitializeAsync()
    {
        TemplateCopy.Into(Path.Combine(AppContext.BaseDirectory, "Projects", TemplateName), ProjectDirectory);

        if (await ProfilesAsync() is { } profiles)
        {
            await File.WriteAllTextAsync(Path.Combine(ProjectDirectory, DbtProfiles.FileName), profiles);
        }

        var project = ProjectLoader.Load(ProjectDirectory, _ => null);
        Warehouse = WarehouseFactory.Create(project.Warehouse, project.Directory);
        Session = await Warehouse.OpenSessionAsync();
        var parsed = Parse();
        var runner = new ModelRunner(parsed, Warehouse);
        foreach (var kind in new[] { "resource_type:seed", "resource_type:model" })
        {
            var results = await runner.RunAsync(Core.Graph.NodeSelector.Select(parsed.Graph, [kind], []), Days("2025-01-01", "2025-01-10"), new SilentRun(), CancellationToken.None);
            Assert.All(results, r => Assert.True(r.Status == Models.State.JobStatus.Success, $"{r.Name}: {r.Error}"));
        }
    }

    public async Task DisposeAsync()
    {
        await Session.DisposeAsync();
        await Warehouse.DisposeAsync();
        await DisposeEngineAsync();
        try
        {
            Directory.Delete(ProjectDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>Stops what <see cref="ProfilesAsync"/> started for the project, if anything.</summary>
    protected virtual ValueTask DisposeEngineAsync() => ValueTask.CompletedTask;

    public ParsedProject Parse() => ProjectParser.Parse(ProjectLoader.Load(ProjectDirectory, _ => null));

    public static RunOptions Days(string from, string to) => new()
    {
        From = DateOnly.Parse(from, CultureInfo.InvariantCulture),
        To = DateOnly.Parse(to, CultureInfo.InvariantCulture),
        Threads = 2,
    };

    /// <summary>Writes models/checks.yml (or removes it, for null).</summary>
    public void WriteChecks(string? yaml)
    {
        var path = Path.Combine(ProjectDirectory, "models", "checks.yml");
        if (yaml is null)
        {
            File.Delete(path);
        }
        else
        {
            File.WriteAllText(path, yaml);
        }
    }

    public void WriteFile(string relativePath, string? text)
    {
        var path = Path.Combine(ProjectDirectory, relativePath);
        if (text is null)
        {
            File.Delete(path);
            return;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }

    /// <summary>Runs every check the project declares now; returns the results by check name.</summary>
    public async Task<Dictionary<string, CheckResult>> RunChecksAsync(CheckRunOptions? options = null)
    {
        var project = Parse();
        var results = await new CheckRunner(project, Warehouse).RunAsync(project.Checks, options ?? new CheckRunOptions { Now = () => Now }, new Collected(), CancellationToken.None);
        return results.ToDictionary(r => r.Check.Name, StringComparer.Ordinal);
    }

    public async Task<List<long>> LongsAsync(string sql)
    {
        var values = new List<long>();
        await using var reader = await Session.QueryAsync(sql);
        while (await reader.ReadAsync())
        {
            values.Add(Convert.ToInt64(reader.GetValue(0), CultureInfo.InvariantCulture));
        }

        return values;
    }

    public async Task<long> CountAsync(string sql) => Convert.ToInt64(await Session.ScalarAsync(sql), CultureInfo.InvariantCulture);

    private sealed class Collected : ICheckObserver
    {
        public void Finished(CheckResult result)
        {
        }
    }

}

public sealed class DuckDbQualityProject : QualityProject
{
    protected override Task<string?> ProfilesAsync() => Task.FromResult<string?>(null);
}

public sealed class PostgresQualityProject : QualityProject
{
    protected override async Task<string?> ProfilesAsync()
    {
        var server = await PostgresServer.GetAsync();
        return await server.DbtProfilesAsync(TemplateName);
    }
}

/// <summary>Projects/generic: custom generic tests in macros/ and tests/generic/, and dbt_utils and dbt_expectations declared.</summary>
public sealed class DuckDbGenericProject : QualityProject
{
    protected override string TemplateName => "generic";

    protected override Task<string?> ProfilesAsync() => Task.FromResult<string?>(null);
}

public sealed class PostgresGenericProject : QualityProject
{
    protected override string TemplateName => "generic";

    protected override async Task<string?> ProfilesAsync()
    {
        var server = await PostgresServer.GetAsync();
        return await server.DbtProfilesAsync(TemplateName);
    }
}
