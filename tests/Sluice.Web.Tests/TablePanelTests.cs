using Microsoft.Playwright;
using Sluice.Web.Tests.Api;
using Sluice.Web.Tests.Browser;
using Sluice.Web.Tests.Served;

namespace Sluice.Web.Tests;

/// <summary>Tables sort and page, over a model on the server and over a metric in the page; a panel's CSV holds what it shows.</summary>
[Collection(PanelsCollection.Name)]
public sealed class TablePanelTests(BrowserFixture browser, PanelsServer served)
{
    [Fact]
    public async Task A_model_table_pages_and_sorts_as_the_api_does()
    {
        using var client = served.Client(PanelsServer.AdminKey);
        var api = new DashboardApi(client);
        var dashboard = await api.DashboardAsync("shop");
        var table = dashboard["daily_table"];
        await using var page = await OpenAsync(nameof(A_model_table_pages_and_sorts_as_the_api_does), dashboard);
        var view = await page.Hook.SettledAsync();
        var expected = new ExpectedPanel(api, RequestedRange.Of(page.Requests, dashboard, dashboard.RangeDays, Today), new Dictionary<string, string>());
        var panel = page.Hook.Panel(table.Id);

        var first = await expected.ModelRowsAsync(table, "-d", 0);
        Assert.Equal(first.Rows.Select(PanelAssert.Line), view[table.Id].Rows.Select(PanelAssert.Line));
        // The cells show fractions cut to two decimals; the days (the sort key) show as they are.
        Assert.Equal(first.Rows.Select(r => r[0]), (await CellsAsync(panel)).Select(r => r[0]));

        view = await page.Hook.AfterPanelChangesAsync(table.Id, () => panel.GetByRole(AriaRole.Button, new() { Name = $"Next page of {table.Title}" }).ClickAsync());
        var second = await expected.ModelRowsAsync(table, "-d", 5);
        Assert.Equal(second.Rows.Select(PanelAssert.Line), view[table.Id].Rows.Select(PanelAssert.Line));
        Assert.Empty(first.Rows.Select(PanelAssert.Line).Intersect(second.Rows.Select(PanelAssert.Line)));

        view = await page.Hook.AfterPanelChangesAsync(table.Id, () => panel.Locator("th").GetByRole(AriaRole.Button, new() { Name = "revenue", Exact = true }).ClickAsync());
        var byRevenue = await expected.ModelRowsAsync(table, "revenue", 0);
        Assert.Equal(byRevenue.Rows.Select(PanelAssert.Line), view[table.Id].Rows.Select(PanelAssert.Line));
        page.AssertNoErrors();
    }

    [Fact]
    public async Task A_metric_table_sorts_and_pages_its_rows_in_the_page()
    {
        using var client = served.Client(PanelsServer.AdminKey);
        var api = new DashboardApi(client);
        var dashboard = await api.DashboardAsync("shop");
        var table = dashboard["region_table"];
        await using var page = await OpenAsync(nameof(A_metric_table_sorts_and_pages_its_rows_in_the_page), dashboard);
        var view = await page.Hook.SettledAsync();
        var expected = new ExpectedPanel(api, RequestedRange.Of(page.Requests, dashboard, dashboard.RangeDays, Today), new Dictionary<string, string>());
        var panel = page.Hook.Panel(table.Id);
        var columns = view[table.Id].Columns;
        var all = await expected.MetricRowsAsync(table, columns);

        view = await page.Hook.AfterPanelChangesAsync(table.Id, () => panel.Locator("th").GetByRole(AriaRole.Button, new() { Name = "value", Exact = true }).ClickAsync());
        var value = columns.ToList().IndexOf("value");
        var ascending = all.OrderBy(r => double.Parse(r[value], System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(ascending.Take(5).Select(r => r[value]), view[table.Id].Rows.Select(r => r[value]));
        Assert.All(view[table.Id].Rows, r => Assert.Contains(PanelAssert.Line(r), all.Select(PanelAssert.Line)));

        view = await page.Hook.AfterPanelChangesAsync(table.Id, () => panel.GetByRole(AriaRole.Button, new() { Name = $"Next page of {table.Title}" }).ClickAsync());
        Assert.Equal(ascending.Skip(5).Take(5).Select(r => r[value]), view[table.Id].Rows.Select(r => r[value]));
        page.AssertNoErrors();
    }

    [Fact]
    public async Task A_panels_csv_download_holds_the_rows_it_shows()
    {
        using var client = served.Client(PanelsServer.AdminKey);
        var dashboard = await new DashboardApi(client).DashboardAsync("shop");
        var table = dashboard["daily_table"];
        await using var page = await OpenAsync(nameof(A_panels_csv_download_holds_the_rows_it_shows), dashboard);
        var view = await page.Hook.SettledAsync();

        var download = await page.Page.RunAndWaitForDownloadAsync(() =>
            page.Hook.Panel(table.Id).GetByRole(AriaRole.Button, new() { Name = $"Download the data of {table.Title} as CSV" }).ClickAsync());
        var lines = (await File.ReadAllTextAsync((await download.PathAsync())!)).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);

        Assert.EndsWith(".csv", download.SuggestedFilename, StringComparison.Ordinal);
        Assert.Equal(string.Join(",", view[table.Id].Columns), lines[0]);
        Assert.Equal(view[table.Id].Rows.Select(r => string.Join(",", r)), lines.Skip(1));
        Assert.Equal(5, lines.Length - 1);
        page.AssertNoErrors();
    }

    private static DateOnly Today => DateOnly.FromDateTime(PanelsServer.Now.UtcDateTime);

    private async Task<BrowserPage> OpenAsync(string test, DashboardDefinition dashboard)
    {
        var page = await BrowserPage.OpenAsync(browser.Browser, PanelsServer.Now, test, headers: PanelsServer.AdminHeaders);
        await page.OpenAsync(DashboardControls.Dashboard(served.Server.Address, dashboard.Name));
        return page;
    }

    private static Task<string[][]> CellsAsync(ILocator panel) =>
        panel.Locator("tbody tr").EvaluateAllAsync<string[][]>("rows => rows.map(r => [...r.cells].map(c => c.textContent.trim()))");
}
