using System.Text.Json;
using Microsoft.Playwright;

namespace Sluice.Web.Tests.Hook;

/// <summary>
/// <c>window.__sluice</c>, the state the dashboard page keeps for tests: whether it has settled,
/// how many times it has, and what each panel shows. Waits are on conditions, never on time.
/// </summary>
public sealed class DashboardHook(IPage page)
{
    /// <summary>How long a dashboard may take to settle on a loaded two-core machine.</summary>
    public const float Timeout = 90_000;

    /// <summary>Waits until the page has settled at least <paramref name="loadsAbove"/> + 1 times and returns its state.</summary>
    public async Task<DashboardView> SettledAsync(int loadsAbove = 0)
    {
        await page.WaitForFunctionAsync(
            "n => !!window.__sluice && window.__sluice.settled === true && window.__sluice.loads > n",
            loadsAbove,
            new PageWaitForFunctionOptions { Timeout = Timeout, PollingInterval = 50 });
        return await ReadAsync();
    }

    /// <summary>Runs <paramref name="action"/> and waits until panel <paramref name="id"/> shows something else and the page has settled.</summary>
    public async Task<DashboardView> AfterPanelChangesAsync(string id, Func<Task> action)
    {
        var before = await page.EvaluateAsync<string>("id => JSON.stringify(window.__sluice.panels[id])", id);
        await action();
        await page.WaitForFunctionAsync(
            """
            ([id, before]) => {
                const hook = window.__sluice;
                const panel = hook && hook.panels[id];
                return !!panel && hook.settled === true && panel.state !== 'loading' && JSON.stringify(panel) !== before;
            }
            """,
            new object[] { id, before },
            new PageWaitForFunctionOptions { Timeout = Timeout, PollingInterval = 50 });
        return await ReadAsync();
    }

    /// <summary>The hook's state now.</summary>
    public async Task<DashboardView> ReadAsync()
    {
        // As text: Playwright's own serialization of objects adds reference ids ("$id") to them.
        var state = JsonDocument.Parse(await page.EvaluateAsync<string>("() => JSON.stringify(window.__sluice)")).RootElement.Clone();
        var panels = state.GetProperty("panels").EnumerateObject().ToDictionary(p => p.Name, p => new PanelView(p.Name, p.Value), StringComparer.Ordinal);
        return new DashboardView(state.GetProperty("settled").GetBoolean(), state.GetProperty("loads").GetInt32(), panels);
    }

    /// <summary>The panel elements' ids and <c>data-state</c>, as the DOM has them.</summary>
    public async Task<Dictionary<string, string>> DomStatesAsync()
    {
        var pairs = await page.EvalOnSelectorAllAsync<string[][]>(
            "[data-panel-id]",
            "els => els.map(e => [e.getAttribute('data-panel-id'), e.getAttribute('data-state')])");
        return pairs.ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);
    }

    /// <summary>The element of panel <paramref name="id"/>.</summary>
    public ILocator Panel(string id) => page.Locator($"[data-panel-id=\"{id}\"]");
}

/// <summary>The hook's state at one moment.</summary>
public sealed record DashboardView(bool Settled, int Loads, IReadOnlyDictionary<string, PanelView> Panels)
{
    public PanelView this[string id] => Panels.TryGetValue(id, out var panel)
        ? panel
        : throw new KeyNotFoundException($"window.__sluice.panels has no '{id}'; it has {string.Join(", ", Panels.Keys)}");
}
