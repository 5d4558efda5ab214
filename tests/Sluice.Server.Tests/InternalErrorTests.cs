using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Sluice.Testing;

namespace Sluice.Server.Tests;

/// <summary>
/// A request the server cannot answer for a reason of its own — here the view a metric reads,
/// dropped behind the running server's back — is a 500 problem that gives the caller the request
/// id to quote and nothing of the server's insides; the error itself is in the log under that id.
/// </summary>
public sealed class InternalErrorTests(PostgresPreparedProject project) : IClassFixture<PostgresPreparedProject>
{
    private const string Trend = "/api/v1/metrics/visit_fee/trend?from=2025-01-01&to=2025-03-31";

    [Fact]
    public async Task A_500_problem_carries_the_request_id_of_its_log_entry_and_no_internals()
    {
        var log = new RecordedLog();
        await using var server = await SluiceServer.StartAsync(ServedProject.Parse(project.ProjectDirectory), new ServeSettings(Port: 0), log.AddTo);
        using var client = PreparedProject.Client(server, null);
        var table = server.Catalog.Relations.Single(r => r.Reference.DisplayName == "fct_appointments").Table;
        await project.WithSessionAsync(session => session.ExecuteAsync($"drop view \"{table.Schema}\".\"{table.Name}\""));

        using var given = new HttpRequestMessage(HttpMethod.Get, Trend);
        given.Headers.Add("X-Request-Id", "support-case-4711");
        var (status, headerId, body) = await SendAsync(client, given);
        using var plain = new HttpRequestMessage(HttpMethod.Get, Trend);
        var (plainStatus, madeId, plainBody) = await SendAsync(client, plain);

        Assert.Equal((HttpStatusCode.InternalServerError, HttpStatusCode.InternalServerError), (status, plainStatus));
        Assert.Equal("support-case-4711", headerId);
        Assert.Matches("^[0-9a-f]{32}$", madeId);
        foreach (var (id, text) in new[] { ("support-case-4711", body), (madeId, plainBody) })
        {
            var problem = JsonDocument.Parse(text).RootElement;
            Assert.Equal(500, problem.GetProperty("status").GetInt32());
            Assert.Equal(id, problem.GetProperty("request_id").GetString());
            Assert.Contains(id, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);

            // The log has the error under the same id, with what the response must not show.
            var entry = Assert.Single(log.Entries, e => e.Level == LogLevel.Error && e.Values.GetValueOrDefault("RequestId") == id);
            Assert.NotNull(entry.Exception);
            Assert.Contains(table.Name, entry.AllText, StringComparison.Ordinal);

            var postgres = await PostgresServer.GetAsync();
            string[] internals =
            [
                entry.Exception.GetType().Name, entry.Exception.Message.Split('\n')[0].Trim(), "Exception", " at ", ".cs:line",
                table.Name, table.Schema + ".", "select ", " from ", "42P01", "Npgsql", "Sluice.",
                project.ProjectDirectory, Path.GetTempPath(), $"{postgres.Port}", "Host=", "Password", "postgres://",
            ];
            Assert.All(internals, fragment => Assert.False(
                text.Contains(fragment, StringComparison.OrdinalIgnoreCase), $"The 500 answer shows '{fragment}': {text}"));
        }
    }

    private static async Task<(HttpStatusCode Status, string RequestId, string Body)> SendAsync(HttpClient client, HttpRequestMessage request)
    {
        using var response = await client.SendAsync(request);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return (response.StatusCode, response.Headers.GetValues("X-Request-Id").Single(), await response.Content.ReadAsStringAsync());
    }
}
