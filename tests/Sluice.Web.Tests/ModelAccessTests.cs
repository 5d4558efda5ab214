using Sluice.Web.Tests.Api;
using Sluice.Web.Tests.Browser;
using Sluice.Web.Tests.Served;

namespace Sluice.Web.Tests;

/// <summary>The model pages are the admin's: a tenant key sees the server's 403 detail, the admin key the pages.</summary>
[Collection(PanelsCollection.Name)]
public sealed class ModelAccessTests(BrowserFixture browser, PanelsServer served)
{
    private static readonly Dictionary<string, string> TenantHeaders = new() { ["Authorization"] = $"Bearer {PanelsServer.AcmeKey}" };

    [Fact]
    public async Task A_tenant_key_sees_the_403_detail_on_the_models_page_and_on_a_models_page()
    {
        using var client = served.Client(PanelsServer.AcmeKey);
        var api = new DashboardApi(client);
        var lineageDetail = await api.ProblemDetailAsync("/api/v1/lineage");
        await using var page = await BrowserPage.OpenAsync(browser.Browser, PanelsServer.Now, nameof(A_tenant_key_sees_the_403_detail_on_the_models_page_and_on_a_models_page), headers: TenantHeaders);

        var view = await page.OpenModelsAsync(ModelPages.List(served.Server.Address));
        Assert.Equal("error", view["models"].State);
        Assert.Equal(lineageDetail, view["models"].Error);
        Assert.Contains(lineageDetail, await page.SectionTextAsync("models"), StringComparison.Ordinal);

        view = await page.OpenModelsAsync(ModelPages.Model(served.Server.Address, "fct_orders"));
        Assert.Equal("error", view["model"].State);
        Assert.Equal(lineageDetail, view["model"].Error);
        Assert.DoesNotContain("select", await page.Page.Locator("main").InnerTextAsync(), StringComparison.OrdinalIgnoreCase);
        page.AssertNoErrors("status of 403");
    }

    [Fact]
    public async Task The_admin_key_sees_every_model_of_the_shop_with_its_lineage()
    {
        using var client = served.Client(PanelsServer.AdminKey);
        var lineage = LineageEntry.Read(await new DashboardApi(client).GetAsync("/api/v1/lineage"));
        await using var page = await BrowserPage.OpenAsync(browser.Browser, PanelsServer.Now, nameof(The_admin_key_sees_every_model_of_the_shop_with_its_lineage), headers: PanelsServer.AdminHeaders);

        var view = await page.OpenModelsAsync(ModelPages.List(served.Server.Address));

        Assert.Equal(lineage.Select(n => n.Name).Order(StringComparer.Ordinal), view["models"].Rows.Select(r => r[0]).Order(StringComparer.Ordinal));
        Assert.Equal(ModelPages.Edges(lineage), ModelPages.Edges(view["lineage-edges"]));
        page.AssertNoErrors();
    }
}
