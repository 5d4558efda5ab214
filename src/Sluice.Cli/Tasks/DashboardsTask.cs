using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Sluice.Cli.Output;
using Sluice.Core.Metrics;
using Sluice.Dashboards;
using Spectre.Console;

namespace Sluice.Cli.Tasks;

/// <summary>
/// <c>sluice dashboards</c>: the project's dashboards (dashboards/*.yml), each checked against
/// metrics.yml as <c>sluice serve</c> checks them, with where <c>sluice serve</c> shows it. A
/// mistake is an error at its line, exit 2, so that CI can check dashboards without a warehouse.
/// </summary>
internal sealed class DashboardsTask(CliContext context, ParseResult parseResult)
{
    public static Command CreateCommand(GlobalOptions globals)
    {
        var command = new Command("dashboards", "List the project's dashboards (dashboards/*.yml), checked against metrics.yml: title, panels, file and the page `sluice serve` shows it on.")
        {
            ModelOptions.Format,
        };
        VerbRunner.SetAction(command, globals, "reading the dashboards failed", (parseResult, context, cancellationToken) =>
            new DashboardsTask(context, parseResult).RunAsync());
        return command;
    }

    public async Task<int> RunAsync()
    {
        var project = ModelOptions.Parse(context, parseResult);
        var dashboards = DashboardReader.Read(project.Project.Directory, MetricsReader.Read(project), project.Project.Environment);
        if (parseResult.GetRequiredValue(ModelOptions.Format) == "json")
        {
            await context.Out.WriteLineAsync(JsonSerializer.Serialize(dashboards.Select(d => new Dictionary<string, object?>
            {
                ["name"] = d.Name,
                ["title"] = d.Title,
                ["description"] = d.Description,
                ["file"] = d.File,
                ["panels"] = d.Panels.Count,
                ["range_days"] = d.RangeDays,
                ["refresh_seconds"] = d.Refresh?.TotalSeconds,
                ["path"] = PagePath(d),
            })));
            return ExitCodes.Success;
        }

        if (dashboards.Count == 0)
        {
            await context.Error.WriteLineAsync($"{project.Project.Directory} has no dashboards; add dashboards/<name>.yml (see docs/dashboards.md), such as `panels: [{{title: Revenue, type: line, metric: revenue, x: 0, y: 0, w: 6, h: 4}}]`.");
            return ExitCodes.Success;
        }

        var console = Consoles.For(context.Out, !Console.IsOutputRedirected && context.Out == Console.Out);
        var table = Tables.Create(("dashboard", false), ("title", false), ("panels", true), ("range", true), ("refresh", true), ("file", false), ("page", false));
        foreach (var dashboard in dashboards)
        {
            table.AddRow(
                new Text(dashboard.Name),
                new Text(dashboard.Title),
                new Text(dashboard.Panels.Count.ToString(CultureInfo.InvariantCulture)),
                new Text($"{dashboard.RangeDays}d"),
                new Text(dashboard.Refresh is { } refresh ? $"{refresh.TotalSeconds.ToString("0", CultureInfo.InvariantCulture)}s" : "-"),
                new Text(dashboard.File),
                new Text(PagePath(dashboard)));
        }

        console.Write(table);
        return ExitCodes.Success;
    }

    /// <summary>The page of <paramref name="dashboard"/> under the address <c>sluice serve</c> listens on.</summary>
    public static string PagePath(Dashboard dashboard) => $"/dashboards/{dashboard.Name}";
}
