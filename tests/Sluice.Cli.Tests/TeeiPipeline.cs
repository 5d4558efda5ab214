using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Sluice.Demo;
using Sluice.Demo.Teei;
using Sluice.Testing;

namespace Sluice.Cli.Tests;

/// <summary>
/// The TEEI example on CSV files and the embedded warehouse, synced, built and served once for
/// the tests of <see cref="TeeiPipelineTests{TPipeline}"/>: the project as <c>sluice demo teei</c> writes it,
/// five weeks of generated data, and API keys added for an admin and three companies.
/// </summary>
public class TeeiPipeline : IAsyncLifetime
{
    public const string AdminKey = "teei-admin-key-0123456789";
    public const string TenantKey = "teei-tenant-key-0123456789";
    public const string OtherTenantKey = "teei-other-tenant-key-0123456789";
    public const string SmallBudgetKey = "teei-small-budget-key-0123456789";
    public const string SharedBudgetKey = "teei-shared-budget-key-0123456789";

    /// <summary>The daily budget of <see cref="SmallBudgetKey"/>'s company.</summary>
    public const int SmallBudget = 3;

    /// <summary>The daily budget of <see cref="SharedBudgetKey"/>'s company, which servers share.</summary>
    public const int SharedBudget = 150;

    private readonly TempDirectory _temp = new();
    private readonly HttpClient _http = new();
    private ServedProcess? _served;

    /// <summary>
    /// Forty companies of a few users each: every size band has about eight (peers enough for a
    /// company's key to see their quartiles), every industry about five (too few).
    /// </summary>
    public static TeeiScale Scale { get; } = new(40, 0.15, 0.05);

    public DateOnly Last { get; } = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-1);

    public DateOnly First => Last.AddDays(-34);

    public TeeiState State { get; private set; } = null!;

    /// <summary>The companies as generated, by id.</summary>
    public IReadOnlyDictionary<Guid, TeeiCompanyRow> Companies { get; private set; } = null!;

    /// <summary>The company of <see cref="TenantKey"/>.</summary>
    public TeeiCompanyRow Tenant { get; private set; } = null!;

    /// <summary>The company of <see cref="OtherTenantKey"/>.</summary>
    public TeeiCompanyRow OtherTenant { get; private set; } = null!;

    public string Directory => _temp.Path;

    public async Task InitializeAsync()
    {
        State = TeeiState.Build(17, First, Last, Scale);
        Companies = State.Rows<TeeiCompanyRow>(TeeiTables.Companies).ToDictionary(c => c.Id);
        var byScores = State.Rows<TeeiScoreRow>(TeeiTables.Scores).GroupBy(s => s.CompanyId).OrderByDescending(g => g.Count()).Select(g => Companies[g.Key]).ToList();
        (Tenant, OtherTenant) = (byScores[0], byScores[1]);
        var smallBudget = byScores[2];
        var sharedBudget = byScores[3];

        TeeiProject.Example.Write(Directory, csv: true);
        await TeeiCsv.WriteAsync(Path.Combine(Directory, ExampleProject.DataFolder), State);
        var yml = Path.Combine(Directory, "sluice.yml");
        var keys = $"""
            serve:
              api_keys:
                - {"{"}name: ops, sha256: {Hash(AdminKey)}, admin: true{"}"}
                - {"{"}name: tenant, sha256: {Hash(TenantKey)}, tenant: "{Tenant.Id}"{"}"}
                - {"{"}name: other, sha256: {Hash(OtherTenantKey)}, tenant: "{OtherTenant.Id}"{"}"}
                - {"{"}name: small, sha256: {Hash(SmallBudgetKey)}, tenant: "{smallBudget.Id}", budget: {"{"}daily: {SmallBudget}{"}"}{"}"}
                - {"{"}name: shared, sha256: {Hash(SharedBudgetKey)}, tenant: "{sharedBudget.Id}", budget: {"{"}daily: {SharedBudget}{"}"}{"}"}

            """;
        var text = await File.ReadAllTextAsync(yml);
        Assert.Contains("\nserve:\n", text, StringComparison.Ordinal);
        await File.WriteAllTextAsync(yml, await DeployAsync(text.Replace("\nserve:\n", "\n" + keys, StringComparison.Ordinal)));

        await RunAsync("sync");
        await RunAsync("build", "--from", Day(First), "--to", Day(Last));
        _served = await ServeAsync();
    }

    /// <summary>sluice.yml as the deployment under test has it: the example's own, on the embedded warehouse.</summary>
    protected virtual Task<string> DeployAsync(string sluiceYml) => Task.FromResult(sluiceYml);

    /// <summary>Starts <c>sluice serve</c> on the project.</summary>
    protected virtual Task<ServedProcess> ServeAsync() => ServedProcess.StartAsync(Directory, ["serve"], Path.Combine(Directory, "teei.duckdb.serving"));

    /// <summary>Stops what <see cref="DeployAsync"/> started.</summary>
    protected virtual ValueTask StopDeploymentAsync() => ValueTask.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_served is not null)
        {
            await _served.DisposeAsync();
        }

        await StopDeploymentAsync();
        _http.Dispose();
        _temp.Dispose();
    }

    /// <summary>The address of the server the fixture started.</summary>
    public Uri Url => _served!.Url;

    /// <summary>Starts another <c>sluice serve</c> on the same project, as another node of it; the caller stops it.</summary>
    public Task<ServedProcess> StartNodeAsync() => ServeAsync();

    /// <summary>GETs an API path with a key and returns the status and the JSON answer.</summary>
    public Task<(HttpStatusCode Status, JsonElement Body, HttpResponseMessage Response)> GetAsync(string pathAndQuery, string key) => GetAsync(Url, pathAndQuery, key);

    /// <summary>GETs an API path of the server at <paramref name="server"/> with a key.</summary>
    public async Task<(HttpStatusCode Status, JsonElement Body, HttpResponseMessage Response)> GetAsync(Uri server, string pathAndQuery, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(server, pathAndQuery));
        request.Headers.Add("X-API-Key", key);
        var response = await _http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone(), response);
    }

    /// <summary>GETs an API path that must answer 200.</summary>
    public async Task<JsonElement> GetOkAsync(string pathAndQuery, string key = AdminKey)
    {
        var (status, body, _) = await GetAsync(pathAndQuery, key);
        Assert.True(status == HttpStatusCode.OK, $"GET {pathAndQuery}: {(int)status} {body}");
        return body;
    }

    public static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private async Task RunAsync(params string[] arguments)
    {
        var result = await SluiceProcess.RunAsync(Directory, arguments);
        Assert.True(result.ExitCode == 0, $"sluice {string.Join(' ', arguments)}: {result}");
    }

    private static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
}

/// <summary>
/// The TEEI example as the seed deploys it: the same project with its warehouse on a throwaway
/// ClickHouse server and its answers and budgets in a throwaway Redis, the one change its
/// sluice.yml describes.
/// </summary>
public sealed class ClickHouseTeeiPipeline : TeeiPipeline
{
    private ClickHouseServer? _clickHouse;
    private RedisServer? _redis;

    /// <summary>The Redis of the answers and budgets.</summary>
    public RedisServer Redis => _redis!;

    protected override async Task<string> DeployAsync(string sluiceYml)
    {
        _clickHouse = await ClickHouseServer.StartPrivateAsync();
        _redis = await RedisServer.StartAsync();
        await _clickHouse.QueryAsync("create database teei_analytics");
        const string Embedded = "warehouse:\n  type: duckdb\n  path: teei.duckdb\n";
        const string Cache = "  cache:\n    ttl:";
        Assert.Contains(Embedded, sluiceYml, StringComparison.Ordinal);
        Assert.Contains(Cache, sluiceYml, StringComparison.Ordinal);
        return sluiceYml
            .Replace(Embedded, $"warehouse:\n  type: clickhouse\n  url: {_clickHouse.Url("teei_analytics")}\n", StringComparison.Ordinal)
            .Replace(Cache, $"  cache:\n    url: {_redis.Url()}\n    ttl:", StringComparison.Ordinal);
    }

    protected override Task<ServedProcess> ServeAsync() => ServedProcess.StartOnFreePortAsync(Directory, ["serve"]);

    protected override async ValueTask StopDeploymentAsync()
    {
        if (_clickHouse is not null)
        {
            await _clickHouse.DisposeAsync();
        }

        if (_redis is not null)
        {
            await _redis.DisposeAsync();
        }
    }
}
