using System.Net;
using System.Text.Json;

namespace Sluice.Cli.Tests;

/// <summary>A project fresh from <c>sluice init</c>, as a newcomer first meets it: every verb says why it did nothing and what to add.</summary>
public sealed class EmptyProjectTests(DuckDbProject project) : IClassFixture<DuckDbProject>
{
    [Theory]
    [InlineData("build", "Nothing to build: the project has no models, seeds or snapshots yet.")]
    [InlineData("run", "Nothing to run: the project has no models yet.")]
    public async Task Building_an_empty_project_says_what_to_add(string verb, string expected)
    {
        var result = await project.RunAsync(verb);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains(expected, result.Stderr, StringComparison.Ordinal);
        Assert.Contains("models/", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Parity_without_sources_speaks_of_parity()
    {
        var result = await project.RunAsync("parity");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("sluice.yml has no sources, so parity has no tables to compare; add a `sources:` section", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("to sync", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serving_an_empty_project_says_what_to_add_and_reports_the_commands_version()
    {
        var version = (await project.RunAsync("--version")).Stdout.Trim();
        await using var served = await ServedProcess.StartAsync(project.Directory, ["serve"], Path.Combine(project.Directory, "warehouse.duckdb.serving"));
        using var client = new HttpClient { BaseAddress = served.Url };

        using var health = await client.GetAsync("health");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        var reported = JsonDocument.Parse(await health.Content.ReadAsStringAsync()).RootElement.GetProperty("version").GetString();
        Assert.Equal(version, reported);
        using var index = await client.GetAsync("api/v1");
        Assert.Equal(HttpStatusCode.OK, index.StatusCode);
        await served.StopAsync();

        Assert.Contains("Nothing to serve yet: metrics.yml declares no metrics, funnels, benchmarks or exposed models", await served.Errors, StringComparison.Ordinal);
    }
}
