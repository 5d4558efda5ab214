using System.Text.Json;
using Sluice.Web.Tests.Api;
using Sluice.Web.Tests.Browser;
using Sluice.Web.Tests.Hook;
using Sluice.Web.Tests.Served;

namespace Sluice.Web.Tests;

/// <summary>
/// A model's page over the ApplyLens project, against what its file holds and what the API
/// answers: SQL as written and compiled, columns with the warehouse's types, checks with their
/// latest result, and its neighbours, each a link to its own page.
/// </summary>
[Collection(ModelsCollection.Name)]
public sealed class ModelPageTests(BrowserFixture browser, ModelsServer served)
{
    private const string Mart = "mrt_risk_daily";

    private readonly DashboardApi _api = new(served.Client);

    [Fact]
    public async Task A_marts_page_shows_its_sql_as_written_and_compiled_its_typed_columns_and_its_checks()
    {
        var model = await _api.GetAsync($"/api/v1/models/{Mart}");
        var file = model.GetProperty("node").GetProperty("file").GetString()!;
        var written = await File.ReadAllTextAsync(Path.Combine(served.Directory, file));
        await using var page = await BrowserPage.OpenAsync(browser.Browser, served.Now, nameof(A_marts_page_shows_its_sql_as_written_and_compiled_its_typed_columns_and_its_checks), 1280, 900);

        var view = await page.OpenModelsAsync(ModelPages.Model(served.Server.Address, Mart));

        Assert.All(new[] { "model", "sql", "columns", "checks", "lineage" }, id => Assert.True(view[id].State == "ready", $"{view[id]}"));
        Assert.Equal(written, view["sql"].Rows[0][0]);
        Assert.Equal(written, await page.SqlTextAsync("sql"));
        var compiled = model.GetProperty("compiled_sql").GetString()!;
        Assert.DoesNotContain("{{", compiled, StringComparison.Ordinal);
        Assert.Equal(compiled, view["sql"].Rows[0][1]);
        Assert.Equal(compiled, await page.SqlTextAsync("compiled"));

        var columns = model.GetProperty("columns").EnumerateArray().Select(c => (IReadOnlyList<string>)[Text(c, "name"), Text(c, "type"), Text(c, "description")]).ToList();
        Assert.NotEmpty(columns);
        Assert.All(columns, c => Assert.NotEqual(string.Empty, c[1]));
        Assert.Equal(columns, view["columns"].Rows);

        var checks = model.GetProperty("checks").EnumerateArray().Select(c => (IReadOnlyList<string>)[Text(c, "name"), Text(c, "status"), Text(c, "failing_rows"), Text(c, "checked_at")]).ToList();
        Assert.NotEmpty(checks);
        // The fixture ran every check: each has a latest result, which the page shows as the API gives it.
        Assert.All(checks, c => Assert.NotEqual(string.Empty, c[1]));
        Assert.Equal(checks, view["checks"].Rows.Select(r => (IReadOnlyList<string>)[r[0], r[4], r[5], r[7]]));
        var shownChecks = await page.SectionTextAsync("checks");
        Assert.All(checks, c => Assert.Contains(c[0], shownChecks, StringComparison.Ordinal));

        var facts = view["model"].Rows.ToDictionary(r => r[0], r => r[1]);
        Assert.Equal("incremental", facts["materialized"]);
        Assert.Equal(model.GetProperty("partition_by").GetString(), facts["partition column"]);
        Assert.Equal(file, facts["file"]);
        page.AssertNoErrors();
    }

    [Fact]
    public async Task A_marts_neighbours_equal_the_lineage_and_clicking_an_upstream_node_opens_its_page()
    {
        var lineage = LineageEntry.Read(await _api.GetAsync("/api/v1/lineage"));
        var mart = lineage.Single(n => n.Name == Mart);
        await using var page = await BrowserPage.OpenAsync(browser.Browser, served.Now, nameof(A_marts_neighbours_equal_the_lineage_and_clicking_an_upstream_node_opens_its_page), 1280, 900);

        var view = await page.OpenModelsAsync(ModelPages.Model(served.Server.Address, Mart));

        Assert.Equal(mart.Upstream.Order(StringComparer.Ordinal), Neighbours(view, "upstream"));
        Assert.Equal(mart.Downstream.Order(StringComparer.Ordinal), Neighbours(view, "downstream"));
        var edges = ModelPages.Edges(view["lineage-edges"]);
        Assert.Equal(mart.Upstream.Select(u => $"{u} → {Mart}").Order(StringComparer.Ordinal), edges.Where(e => e.EndsWith($" → {Mart}", StringComparison.Ordinal)));
        Assert.Equal(mart.Downstream.Select(d => $"{Mart} → {d}").Order(StringComparer.Ordinal), edges.Where(e => e.StartsWith($"{Mart} → ", StringComparison.Ordinal)));
        // Everything the graph shows is upstream of the mart (the mart feeds nothing), so every edge is the lineage's.
        Assert.All(edges, e => Assert.Contains(e, ModelPages.Edges(lineage)));

        var upstream = mart.Upstream.First(u => lineage.Single(n => n.Name == u).Kind == "model");
        var next = await ClickAsync(page, view, upstream);
        Assert.EndsWith($"/models/{upstream}", page.Page.Url, StringComparison.Ordinal);
        Assert.Contains(Mart, Neighbours(next, "downstream"));
        Assert.Equal(lineage.Single(n => n.Name == upstream).Kind, next["model"].Rows.Single(r => r[0] == "kind")[1]);
        Assert.Equal("ready", next["sql"].State);
        page.AssertNoErrors();
    }

    [Fact]
    public async Task A_source_tables_page_shows_what_reads_it_without_asking_the_model_endpoint()
    {
        var lineage = LineageEntry.Read(await _api.GetAsync("/api/v1/lineage"));
        var source = lineage.First(n => n.Kind == "source");
        await using var page = await BrowserPage.OpenAsync(browser.Browser, served.Now, nameof(A_source_tables_page_shows_what_reads_it_without_asking_the_model_endpoint));

        var view = await page.OpenModelsAsync(ModelPages.Model(served.Server.Address, source.Name));

        Assert.Equal(source.Downstream.Order(StringComparer.Ordinal), Neighbours(view, "downstream"));
        Assert.Equal("empty", view["sql"].State);
        Assert.DoesNotContain(page.Requests, r => r.AbsolutePath.StartsWith("/api/v1/models/", StringComparison.Ordinal));
        page.AssertNoErrors();
    }

    [Fact]
    public async Task An_unknown_models_page_shows_the_servers_404_detail()
    {
        var detail = await _api.ProblemDetailAsync("/api/v1/models/no_such_model");
        await using var page = await BrowserPage.OpenAsync(browser.Browser, served.Now, nameof(An_unknown_models_page_shows_the_servers_404_detail));

        var view = await page.OpenModelsAsync(ModelPages.Model(served.Server.Address, "no_such_model"));

        Assert.Equal("error", view["model"].State);
        Assert.Equal(detail, view["model"].Error);
        Assert.Contains(detail, await page.SectionTextAsync("model"), StringComparison.Ordinal);
        page.AssertNoErrors("status of 404");
    }

    private static List<string> Neighbours(DashboardView view, string direction) =>
        [.. view["neighbours"].Rows.Where(r => r[0] == direction).Select(r => r[1]).Order(StringComparer.Ordinal)];

    // Clicks the node in the graph, a link the app follows itself, and waits for the new page.
    private static async Task<DashboardView> ClickAsync(BrowserPage page, DashboardView before, string name)
    {
        await page.GraphNode(name).ClickAsync();
        return await page.Hook.SettledAsync(before.Loads);
    }

    private static string Text(JsonElement element, string name) => PanelView.Cell(element.GetProperty(name));
}
