using System.Text.Json;
using Sluice.Demo.ApplyLens;

namespace Sluice.Cli.Tests;

public sealed class DashboardCommandTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task The_applylens_dashboard_is_listed_with_its_page()
    {
        var directory = _temp.Combine("applylens");
        ApplyLensProject.Write(directory, csv: true);

        var table = await SluiceProcess.RunAsync(directory, "dashboards");
        var json = await SluiceProcess.RunAsync(directory, "dashboards", "--format", "json");

        Assert.True(table.ExitCode == 0, table.ToString());
        Assert.Contains("ApplyLens operations", table.Stdout);
        Assert.Contains("/dashboards/operations", table.Stdout);
        var only = Assert.Single(JsonDocument.Parse(json.Stdout).RootElement.EnumerateArray());
        Assert.Equal(("operations", 8, 30, 300.0, "dashboards/operations.yml"),
            (only.GetProperty("name").GetString(), only.GetProperty("panels").GetInt32(), only.GetProperty("range_days").GetInt32(), only.GetProperty("refresh_seconds").GetDouble(), only.GetProperty("file").GetString()));
    }

    [Fact]
    public async Task A_malformed_dashboard_is_one_line_at_its_place_and_exit_2_from_dashboards_and_serve()
    {
        var directory = _temp.Combine("project");
        var init = await SluiceProcess.RunAsync(_temp.Path, "init", directory);
        Assert.True(init.ExitCode == 0, init.ToString());
        Directory.CreateDirectory(Path.Combine(directory, "dashboards"));
        var path = Path.Combine(directory, "dashboards", "ops.yml");
        await File.WriteAllTextAsync(path, "title: Ops\npanels:\n  - {title: Volume, type: line, metric: volume, x: 0, y: 0, w: 6, h: 4}\n");

        var listed = await SluiceProcess.RunAsync(directory, "dashboards");
        var served = await SluiceProcess.RunAsync(directory, "serve", "--port", "0");

        foreach (var result in new[] { listed, served })
        {
            Assert.True(result.ExitCode == 2, result.ToString());
            var line = Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => l.Contains("error", StringComparison.Ordinal));
            Assert.Contains($"{path}:3:41: panel 'volume': there is no metric 'volume': metrics.yml declares no metrics.", line);
        }
    }
}
