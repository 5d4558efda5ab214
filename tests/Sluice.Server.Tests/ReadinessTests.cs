using System.Net;
using System.Text.Json;
using Sluice.Core.Graph;
using Sluice.Core.Project;
using Sluice.Models.Run;
using Sluice.Models.State;
using Sluice.Testing;
using Sluice.Warehouses;

namespace Sluice.Server.Tests;

/// <summary>
/// <c>/health/ready</c> follows the builds made while the server runs: not ready (503) once the
/// latest build has a failed model, ready again after a build without failures. On PostgreSQL,
/// where builds run beside the server. (A warehouse that is down is WarehouseOutageTests'.)
/// </summary>
public sealed class ReadinessTests(PostgresPreparedProject project) : IClassFixture<PostgresPreparedProject>
{
    private const string BrokenModel = "broken_visits";

    [Fact]
    public async Task Readiness_is_503_after_a_build_with_a_failed_model_and_200_after_a_good_build()
    {
        await using var server = await project.StartAsync(new ServeSettings { HealthPerMinute = 1_000_000 });
        using var client = PreparedProject.Client(server, null);
        var ready = await ReadyAsync(client, HttpStatusCode.OK);
        Assert.Equal(("ready", "up", "success"), (ready.Body.GetProperty("status").GetString(), ready.Body.GetProperty("warehouse").GetString(), ready.Body.GetProperty("last_build").GetString()));

        var broken = Path.Combine(project.ProjectDirectory, "models", BrokenModel + ".sql");
        await File.WriteAllTextAsync(broken, "select no_such_column from {{ source('app', 'appointments') }}\n");
        var failedBuild = await BuildAsync();
        Assert.Equal(JobStatus.Failed, failedBuild.Single(r => r.Name == BrokenModel).Status);
        Assert.All(failedBuild.Where(r => r.Name != BrokenModel), r => Assert.Equal(JobStatus.Success, r.Status));

        var notReady = await ReadyAsync(client, HttpStatusCode.ServiceUnavailable);
        Assert.Equal("application/problem+json", notReady.MediaType);
        Assert.Equal(503, notReady.Body.GetProperty("status").GetInt32());
        Assert.Equal(("up", "failed"), (notReady.Body.GetProperty("warehouse").GetString(), notReady.Body.GetProperty("last_build").GetString()));
        Assert.Contains("failed", notReady.Body.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.NotNull(notReady.RetryAfter);
        Assert.False(string.IsNullOrEmpty(notReady.Body.GetProperty("request_id").GetString()));

        File.Delete(broken);
        var goodBuild = await BuildAsync();
        Assert.All(goodBuild, r => Assert.Equal(JobStatus.Success, r.Status));

        var readyAgain = await ReadyAsync(client, HttpStatusCode.OK);
        Assert.Equal(("ready", "success"), (readyAgain.Body.GetProperty("status").GetString(), readyAgain.Body.GetProperty("last_build").GetString()));
    }

    private sealed record Answer(JsonElement Body, string? MediaType, TimeSpan? RetryAfter);

    private static async Task<Answer> ReadyAsync(HttpClient client, HttpStatusCode expected)
    {
        using var response = await client.GetAsync("/health/ready");
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"/health/ready: {(int)response.StatusCode} {body}");
        return new Answer(JsonDocument.Parse(body).RootElement.Clone(), response.Content.Headers.ContentType?.MediaType, response.Headers.RetryAfter?.Delta);
    }

    // Every model of the project as it is now on disk, built from outside the running server.
    private async Task<IReadOnlyList<NodeResult>> BuildAsync()
    {
        var parsed = ServedProject.Parse(project.ProjectDirectory);
        var loaded = ProjectLoader.Load(project.ProjectDirectory, _ => null);
        await using var warehouse = WarehouseFactory.Create(loaded.Warehouse, loaded.Directory);
        var options = new RunOptions { From = AnalyticsData.Start, To = AnalyticsData.Start, Threads = 2 };
        return await new ModelRunner(parsed, warehouse).RunAsync(NodeSelector.Select(parsed.Graph, [], []), options, new SilentRun(), CancellationToken.None);
    }
}
