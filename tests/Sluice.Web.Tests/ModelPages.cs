using System.Text.Json;
using Microsoft.Playwright;
using Sluice.Web.Tests.Browser;
using Sluice.Web.Tests.Hook;

namespace Sluice.Web.Tests;

/// <summary>A node of GET /api/v1/lineage, as the tests compare it with what the pages show.</summary>
public sealed record LineageEntry(string Name, string Kind, string? Materialized, IReadOnlyList<string> Upstream, IReadOnlyList<string> Downstream)
{
    public static IReadOnlyList<LineageEntry> Read(JsonElement answer) => [.. answer.GetProperty("nodes").EnumerateArray().Select(n => new LineageEntry(
        n.GetProperty("name").GetString()!,
        n.GetProperty("kind").GetString()!,
        n.GetProperty("materialized").GetString(),
        [.. n.GetProperty("upstream").EnumerateArray().Select(u => u.GetString()!)],
        [.. n.GetProperty("downstream").EnumerateArray().Select(d => d.GetString()!)]))];
}

/// <summary>
/// The model pages as the tests open them: /models and /models/{name}, and what their test hook
/// holds: panel <c>models</c> (the list shown), <c>lineage</c> (the graph's nodes) and
/// <c>lineage-edges</c> (its edges), and on a model's page <c>model</c>, <c>sql</c>,
/// <c>columns</c>, <c>checks</c> and <c>neighbours</c>.
/// </summary>
public static class ModelPages
{
    public static Uri List(Uri server) => new(server, "/models");

    public static Uri Model(Uri server, string name) => new(server, $"/models/{Uri.EscapeDataString(name)}");

    /// <summary>Opens <paramref name="url"/> and waits until the page has settled.</summary>
    public static async Task<DashboardView> OpenModelsAsync(this BrowserPage page, Uri url)
    {
        await page.Page.GotoAsync(url.ToString());
        return await page.Hook.SettledAsync();
    }

    /// <summary>The edges the hook's <paramref name="panel"/> lists, as "from → to".</summary>
    public static IReadOnlyList<string> Edges(PanelView panel) => [.. panel.Rows.Select(r => $"{r[0]} → {r[1]}").Order(StringComparer.Ordinal)];

    /// <summary>The edges of <paramref name="nodes"/> as the API gives them: each node's upstream, checked against the others' downstream.</summary>
    public static IReadOnlyList<string> Edges(IReadOnlyList<LineageEntry> nodes)
    {
        var up = nodes.SelectMany(n => n.Upstream.Select(u => $"{u} → {n.Name}")).Order(StringComparer.Ordinal).ToList();
        var down = nodes.SelectMany(n => n.Downstream.Select(d => $"{n.Name} → {d}")).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(up, down);
        return up;
    }

    /// <summary>The text of the section of the page whose hook panel is <paramref name="id"/>.</summary>
    public static Task<string> SectionTextAsync(this BrowserPage page, string id) =>
        page.Page.Locator($"[data-panel-id=\"{id}\"]").InnerTextAsync();

    /// <summary>The text of the &lt;pre&gt; of the SQL block <paramref name="kind"/> (sql or compiled), exactly as the DOM holds it.</summary>
    public static Task<string> SqlTextAsync(this BrowserPage page, string kind) =>
        page.Page.Locator($"[data-sql=\"{kind}\"] pre").EvaluateAsync<string>("e => e.textContent");

    /// <summary>The node <paramref name="name"/> of the lineage graph drawn on the page.</summary>
    public static ILocator GraphNode(this BrowserPage page, string name) =>
        page.Page.Locator($"[data-panel-id=\"lineage\"] svg a[data-node=\"{name}\"]");
}
