using System.Globalization;
using Sluice.Models.State;
using Sluice.Testing;

namespace Sluice.Models.Tests;

/// <summary>
/// <c>sluice status</c>'s reading of <c>_sluice.job_runs</c> on ClickHouse, which has no window
/// functions: each model's latest run and latest success, its missing partitions and the
/// invocations, against what the test reads from the rows itself.
/// </summary>
public sealed class ClickHouseJobRunHistoryTests : ShopProjectTestBase
{
    private ClickHouseServer? _server;

    protected override string TemplateName => "clickhouse_shop";

    protected override async Task<string?> ProfilesAsync()
    {
        _server = await ClickHouseServer.StartPrivateAsync();
        return await _server.DbtProfilesAsync("chshop", "chshop");
    }

    protected override async ValueTask DisposeWarehouseEngineAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    [Fact]
    public async Task Status_reads_each_models_latest_run_its_latest_success_and_the_missing_days()
    {
        AssertAllSucceeded([.. await BuildAsync("resource_type:seed"), .. await BuildAsync("resource_type:model")]);
        AssertAllSucceeded(await BuildAsync("fct_daily_revenue", force: true, from: "2025-01-03", to: "2025-01-03"));
        AssertAllSucceeded(await BuildAsync("dim_customers"));

        var status = await RunHistory.ReadAsync(
            Session, Parse(), new HashSet<string> { "fct_daily_revenue", "dim_customers" }, DateTimeOffset.UtcNow.AddHours(-1),
            new DateOnly(2025, 1, 1), new DateOnly(2025, 3, 2), CancellationToken.None);

        var runs = await RowsAsync("select job_name, id, status, toString(started_at), ifNull(skip_reason, ''), invocation_id from _sluice.job_runs");
        var parsed = runs.Select(r => r.Split('|')).ToList();
        foreach (var job in new[] { "fct_daily_revenue", "dim_customers" })
        {
            var resource = status.Resources.Single(r => r.Name == job);
            var latest = parsed.Where(r => r[0] == job && r[4] != "ALREADY_BUILT").OrderBy(r => r[3], StringComparer.Ordinal).ThenBy(r => r[1], StringComparer.Ordinal).Last();
            var success = parsed.Where(r => r[0] == job && r[2] == "SUCCESS").OrderBy(r => r[3], StringComparer.Ordinal).ThenBy(r => r[1], StringComparer.Ordinal).Last();
            Assert.Equal(latest[1], resource.LastRun?.Id);
            Assert.Equal(success[1], resource.LastSuccess?.Id);
        }

        // Every day of January and February was built; the first two days of March never were.
        Assert.Equal(
            ["2025-03-01", "2025-03-02"],
            status.Resources.Single(r => r.Name == "fct_daily_revenue").MissingPartitions.Select(p => p.Start.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)));
        Assert.Empty(status.Resources.Single(r => r.Name == "dim_customers").MissingPartitions);
        Assert.Equal(parsed.Select(r => r[5]).Distinct().Count(), status.Invocations.Count);
        Assert.Empty(status.Failures);
    }
}
