using Sluice.Web.Tests.Api;
using Sluice.Web.Tests.Browser;
using Sluice.Web.Tests.Served;

namespace Sluice.Web.Tests;

/// <summary>
/// A key given at the page's prompt decides what every panel shows: a tenant's key its tenant's
/// rows only, the admin's key every tenant's.
/// </summary>
[Collection(PanelsCollection.Name)]
public sealed class TenantKeyTests(BrowserFixture browser, PanelsServer served)
{
    [Fact]
    public async Task A_tenant_key_given_at_the_prompt_shows_only_its_tenants_data_in_every_panel()
    {
        var (view, choices, _) = await OpenWithKeyAsync(PanelsServer.AcmeKey, nameof(A_tenant_key_given_at_the_prompt_shows_only_its_tenants_data_in_every_panel));

        var text = string.Join("\n", view.Panels.Values.Select(p => p.Json.GetRawText()));
        string[] foreigners = ["globex", .. PanelsData.Regions("globex")];
        foreach (var foreign in foreigners)
        {
            Assert.DoesNotContain($"\"{foreign}", text, StringComparison.Ordinal);
        }

        Assert.Equal(PanelsData.Regions("acme").Order(), choices.Order());
        Assert.Equal(PanelsData.Regions("acme").Order(), view["orders_bar"].Points().Select(p => p.Series).Distinct().Order());
    }

    [Fact]
    public async Task The_admin_key_given_at_the_prompt_shows_every_tenants_data()
    {
        var (view, choices, range) = await OpenWithKeyAsync(PanelsServer.AdminKey, nameof(The_admin_key_given_at_the_prompt_shows_every_tenants_data));

        string[] regions = [.. PanelsData.Tenants.SelectMany(PanelsData.Regions).Order()];
        Assert.Equal(regions, choices.Order());
        Assert.Equal(regions, view["orders_bar"].Points().Select(p => p.Series).Distinct().Order());
        PanelAssert.Close(PanelsData.Orders.Count(o => DateOnly.FromDateTime(o.OrderedAt) >= range.From), view["orders_number"].Value, "every tenant's orders in the range");
    }

    // Opens the shop dashboard without a key, answers the page's prompt with key, and checks that
    // every panel shows what the API answers that key.
    private async Task<(Hook.DashboardView View, IReadOnlyList<string> Choices, DayRange Range)> OpenWithKeyAsync(string key, string test)
    {
        using var client = served.Client(key);
        var api = new DashboardApi(client);
        var dashboard = await api.DashboardAsync("shop");
        await using var page = await BrowserPage.OpenAsync(browser.Browser, PanelsServer.Now, test);
        page.AnswerKeyPrompts(key);

        await page.OpenAsync(DashboardControls.Dashboard(served.Server.Address, dashboard.Name));
        await page.GiveKeyAsync(key);
        var view = await page.Hook.SettledAsync();

        var range = RequestedRange.Of(page.Requests, dashboard, dashboard.RangeDays, DateOnly.FromDateTime(PanelsServer.Now.UtcDateTime));
        await PanelAssert.AllShowTheApiAnswerAsync(dashboard, view, new ExpectedPanel(api, range, new Dictionary<string, string>()));
        var choices = await page.FilterChoicesAsync("region", "Region");
        // Until the key is given the API answers 401, which the browser reports on the console.
        page.AssertNoErrors("status of 401");
        return (view, choices, range);
    }
}
