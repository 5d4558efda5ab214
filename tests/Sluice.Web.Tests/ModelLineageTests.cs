using Sluice.Web.Tests.Api;
using Sluice.Web.Tests.Browser;
using Sluice.Web.Tests.Served;

namespace Sluice.Web.Tests;

/// <summary>
/// /models over the ApplyLens project: every node and edge the API's lineage has, a search that
/// narrows the list, and a page usable on a phone's width.
/// </summary>
[Collection(ModelsCollection.Name)]
public sealed class ModelLineageTests(BrowserFixture browser, ModelsServer served)
{
    private readonly DashboardApi _api = new(served.Client);

    [Fact]
    public async Task The_models_page_lists_every_node_of_the_lineage_with_the_same_edges()
    {
        var lineage = LineageEntry.Read(await _api.GetAsync("/api/v1/lineage"));
        await using var page = await BrowserPage.OpenAsync(browser.Browser, served.Now, nameof(The_models_page_lists_every_node_of_the_lineage_with_the_same_edges), 1280, 900);

        var view = await page.OpenModelsAsync(ModelPages.List(served.Server.Address));

        Assert.Contains(lineage, n => n.Kind == "source");
        Assert.Contains(lineage, n => n.Materialized == "view");
        Assert.Equal("ready", view["models"].State);
        Assert.Equal(lineage.Select(n => n.Name).Order(StringComparer.Ordinal), view["models"].Rows.Select(r => r[0]).Order(StringComparer.Ordinal));
        Assert.Equal(lineage.Select(n => n.Name).Order(StringComparer.Ordinal), view["lineage"].Rows.Select(r => r[0]).Order(StringComparer.Ordinal));
        Assert.Equal(ModelPages.Edges(lineage), ModelPages.Edges(view["lineage-edges"]));
        // Left to right: every edge goes to a later column, so sources come first and marts last.
        var depth = view["lineage"].Rows.ToDictionary(r => r[0], r => int.Parse(r[3], System.Globalization.CultureInfo.InvariantCulture));
        Assert.All(view["lineage-edges"].Rows, e => Assert.True(depth[e[0]] < depth[e[1]], $"{e[0]} → {e[1]} does not go right"));
        Assert.All(lineage.Where(n => n.Kind == "source"), s => Assert.Equal(0, depth[s.Name]));
        // Each node of the graph is a link to its page.
        foreach (var node in lineage)
        {
            Assert.Equal($"/models/{Uri.EscapeDataString(node.Name)}", await page.GraphNode(node.Name).GetAttributeAsync("href"));
        }

        page.AssertNoErrors();
    }

    [Fact]
    public async Task Searching_by_kind_or_name_narrows_the_list_to_the_nodes_that_match()
    {
        var lineage = LineageEntry.Read(await _api.GetAsync("/api/v1/lineage"));
        await using var page = await BrowserPage.OpenAsync(browser.Browser, served.Now, nameof(Searching_by_kind_or_name_narrows_the_list_to_the_nodes_that_match));
        var view = await page.OpenModelsAsync(ModelPages.List(served.Server.Address));

        view = await page.Hook.AfterPanelChangesAsync("models", () => page.Page.GetByLabel("Search").FillAsync("incremental"));
        Assert.Equal(lineage.Where(n => n.Materialized == "incremental").Select(n => n.Name).Order(StringComparer.Ordinal), view["models"].Rows.Select(r => r[0]).Order(StringComparer.Ordinal));

        view = await page.Hook.AfterPanelChangesAsync("models", () => page.Page.GetByLabel("Search").FillAsync("stg_"));
        Assert.Equal(lineage.Where(n => n.Name.Contains("stg_", StringComparison.Ordinal)).Select(n => n.Name).Order(StringComparer.Ordinal), view["models"].Rows.Select(r => r[0]).Order(StringComparer.Ordinal));

        view = await page.Hook.AfterPanelChangesAsync("models", () => page.Page.GetByLabel("Search").FillAsync(string.Empty));
        Assert.Equal(lineage.Count, view["models"].Rows.Count);

        view = await page.Hook.AfterPanelChangesAsync("models", () => page.Page.GetByLabel("Kind").SelectOptionAsync("source"));
        Assert.Equal(lineage.Where(n => n.Kind == "source").Select(n => n.Name).Order(StringComparer.Ordinal), view["models"].Rows.Select(r => r[0]).Order(StringComparer.Ordinal));
        Assert.EndsWith("/models?kind=source", page.Page.Url, StringComparison.Ordinal);
        page.AssertNoErrors();
    }

    [Fact]
    public async Task At_390_pixels_wide_the_models_page_and_a_model_page_never_scroll_sideways()
    {
        const int width = 390;
        await using var page = await BrowserPage.OpenAsync(browser.Browser, served.Now, nameof(At_390_pixels_wide_the_models_page_and_a_model_page_never_scroll_sideways), width, 844);

        await page.OpenModelsAsync(ModelPages.List(served.Server.Address));
        Assert.True(await page.Page.EvaluateAsync<int>("() => document.scrollingElement.scrollWidth") <= width, "/models scrolls sideways");

        var view = await page.OpenModelsAsync(ModelPages.Model(served.Server.Address, "mrt_risk_daily"));
        Assert.Equal("ready", view["sql"].State);
        Assert.True(await page.Page.EvaluateAsync<int>("() => document.scrollingElement.scrollWidth") <= width, "a model page scrolls sideways");
        page.AssertNoErrors();
    }
}
