using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Sluice.Web.Tests.Browser;

/// <summary>
/// What a person does on the dashboard page: open a dashboard from the index, give an API key
/// when asked, pick a range and filter values. The selectors the tests rely on beyond the test
/// hook are all here: a dashboard's page at /dashboards/{name}, a range picker labelled "Range" (or
/// <c>[data-control=range]</c>) with options such as 7d, and a filter picker labelled with the
/// filter's label (or <c>[data-filter=name]</c>).
/// </summary>
public static partial class DashboardControls
{
    /// <summary>The page of dashboard <paramref name="name"/> on <paramref name="server"/>.</summary>
    public static Uri Dashboard(Uri server, string name) => new(server, $"/dashboards/{Uri.EscapeDataString(name)}");

    /// <summary>Opens <paramref name="url"/> (the index, which shows the first dashboard, or a dashboard's page) and waits for its panels or a key prompt.</summary>
    public static async Task OpenAsync(this BrowserPage page, Uri url)
    {
        await page.Page.GotoAsync(url.ToString());
        await page.Page.Locator("[data-panel-id]").Or(page.Page.Locator("input[type=password]")).First
            .WaitForAsync(new LocatorWaitForOptions { Timeout = Hook.DashboardHook.Timeout });
    }

    /// <summary>
    /// Answers the page's request for an API key with <paramref name="key"/>, whether the page asks
    /// with a prompt dialog or a password field; call before the page asks.
    /// </summary>
    public static void AnswerKeyPrompts(this BrowserPage page, string key) =>
        page.Page.Dialog += async (_, dialog) =>
        {
            if (dialog.Type == "prompt")
            {
                await dialog.AcceptAsync(key);
            }
        };

    /// <summary>Fills the page's key field with <paramref name="key"/> once it shows one (pages that ask with a dialog need only <see cref="AnswerKeyPrompts"/>).</summary>
    public static async Task GiveKeyAsync(this BrowserPage page, string key)
    {
        await page.Page.WaitForFunctionAsync(
            "() => (window.__sluice && window.__sluice.settled) || !!document.querySelector('input[type=password]')",
            null,
            new PageWaitForFunctionOptions { Timeout = Hook.DashboardHook.Timeout, PollingInterval = 50 });
        var field = page.Page.Locator("input[type=password]");
        if (await field.CountAsync() > 0 && await field.First.IsVisibleAsync())
        {
            await field.First.FillAsync(key);
            await field.First.PressAsync("Enter");
        }
    }

    /// <summary>Picks the range of the last <paramref name="days"/> days.</summary>
    public static async Task PickRangeAsync(this BrowserPage page, int days)
    {
        var picker = page.Page.Locator("[data-control=range]").Or(page.Page.GetByLabel("Range")).First;
        var options = await picker.Locator("option").EvaluateAllAsync<string[][]>("os => os.map(o => [o.value, o.textContent.trim()])");
        var wanted = options.FirstOrDefault(o => o[0] == $"{days}d" || o[0] == $"{days}" || RangeText().Match(o[1]) is { Success: true } m && m.Groups[1].Value == $"{days}")
            ?? throw new InvalidOperationException($"the range picker has no option for {days} days: {string.Join(", ", options.Select(o => o[0]))}");
        await picker.SelectOptionAsync(new SelectOptionValue { Value = wanted[0] });
    }

    /// <summary>Sets the dashboard filter <paramref name="name"/> (labelled <paramref name="label"/>) to <paramref name="value"/>.</summary>
    public static Task PickFilterAsync(this BrowserPage page, string name, string label, string value) =>
        FilterPicker(page, name, label).SelectOptionAsync(new SelectOptionValue { Value = value });

    /// <summary>The values the filter picker offers (without its "all" choice, whose value is empty).</summary>
    public static async Task<IReadOnlyList<string>> FilterChoicesAsync(this BrowserPage page, string name, string label)
    {
        var values = await FilterPicker(page, name, label).Locator("option").EvaluateAllAsync<string[]>("os => os.map(o => o.value)");
        return [.. values.Where(v => v.Length > 0)];
    }

    private static ILocator FilterPicker(BrowserPage page, string name, string label) =>
        page.Page.Locator($"[data-filter=\"{name}\"]").Or(page.Page.GetByLabel(label, new PageGetByLabelOptions { Exact = true })).First;

    [GeneratedRegex(@"\b(\d+)\s*(d|days?)\b", RegexOptions.IgnoreCase)]
    private static partial Regex RangeText();
}
