using System.Globalization;
using Sluice.Web.Tests.Hook;

namespace Sluice.Web.Tests.Api;

/// <summary>Checks that a panel shows what the API answers to its query: the same points, figures and rows.</summary>
public static class PanelAssert
{
    /// <summary>Fails unless every panel of <paramref name="dashboard"/> is on the page and shows the API's answer to its query.</summary>
    public static async Task AllShowTheApiAnswerAsync(DashboardDefinition dashboard, DashboardView view, ExpectedPanel expected)
    {
        Assert.Equal(dashboard.Panels.Select(p => p.Id).Order(StringComparer.Ordinal), view.Panels.Keys.Order(StringComparer.Ordinal));
        foreach (var panel in dashboard.Panels)
        {
            await ShowsTheApiAnswerAsync(panel, view[panel.Id], expected);
        }
    }

    /// <summary>Fails unless <paramref name="view"/> shows the API's answer to <paramref name="panel"/>'s query.</summary>
    public static async Task ShowsTheApiAnswerAsync(PanelDefinition panel, PanelView view, ExpectedPanel expected)
    {
        switch (panel.Type)
        {
            case "markdown":
                Assert.True(view.State == "ready", $"{view}");
                break;
            case "number":
                var (value, previous, daily) = await expected.NumberAsync(panel);
                Assert.True(view.State == (value is null ? "empty" : "ready"), $"{view}: expected the figure {value}");
                Close(value, view.Value, $"{panel.Id}: the figure");
                if (panel.Option("compare"))
                {
                    Close(previous, view.Previous, $"{panel.Id}: the previous period's figure");
                }

                if (panel.Option("sparkline"))
                {
                    SamePoints(daily, view.Points(), grouped: false, $"{panel.Id}: the sparkline");
                }

                break;
            case "table" when panel.Query?.Kind == "rows":
                var (columns, rows, _) = await expected.ModelRowsAsync(panel, panel.OptionText("order_by"), 0);
                Assert.True(view.State == (rows.Count == 0 ? "empty" : "ready"), $"{view}");
                Assert.Equal(columns, view.Columns);
                Assert.Equal(rows.Select(Line), view.Rows.Select(Line));
                break;
            case "table":
                var all = (await expected.MetricRowsAsync(panel, view.Columns)).Select(Line).ToHashSet(StringComparer.Ordinal);
                Assert.True(view.State == (all.Count == 0 ? "empty" : "ready"), $"{view}");
                Assert.Equal(Math.Min(all.Count, panel.OptionNumber("page_size") ?? 10), view.Rows.Count);
                Assert.All(view.Rows, row => Assert.True(all.Contains(Line(row)), $"{panel.Id}: the row [{Line(row)}] is not in the API's answer"));
                break;
            case "benchmark":
                var answer = await expected.BenchmarkAsync(panel);
                Assert.True(view.State == "ready", $"{view}");
                Close(PanelView.NumberOf(answer.GetProperty("value")), view.Value, $"{panel.Id}: the entity's value");
                var peers = answer.GetProperty("peers");
                var shownPeers = view.Points().Where(p => p.Series == "peers").ToDictionary(p => p.X, p => p.Y, StringComparer.Ordinal);
                foreach (var quartile in new[] { "p25", "median", "p75" })
                {
                    Close(PanelView.NumberOf(peers.GetProperty(quartile)), shownPeers.GetValueOrDefault(quartile), $"{panel.Id}: the peers' {quartile}");
                }

                break;
            default:
                var points = await expected.PointsAsync(panel);
                Assert.True(view.State == (points.All(p => p.Y is null) ? "empty" : "ready"), $"{view}: expected {points.Count} points");
                // A pie's slices and a funnel's steps are the x of one series, whatever its name.
                SamePoints(points, view.Points(), ExpectedPanel.Grouped(panel) && panel.Type is not ("pie" or "funnel"), panel.Id);
                break;
        }
    }

    /// <summary>The same points, in any order; a point without a value counts as no point.</summary>
    public static void SamePoints(IReadOnlyList<ShownPoint> expected, IReadOnlyList<ShownPoint> shown, bool grouped, string what)
    {
        static string Key(ShownPoint p) => $"{p.Series}|{p.X}";
        var want = expected.Where(p => p.Y is not null).ToDictionary(Key, p => p.Y!.Value, StringComparer.Ordinal);
        var got = shown.Where(p => p.Y is not null)
            .Select(p => p with { Series = grouped ? p.Series : string.Empty, X = Period(p.X) })
            .ToList();
        Assert.True(got.Select(Key).Distinct().Count() == got.Count, $"{what}: a point is shown twice: {string.Join("; ", got)}");
        Assert.True(
            want.Keys.Order(StringComparer.Ordinal).SequenceEqual(got.Select(Key).Order(StringComparer.Ordinal)),
            $"{what}: the points differ.\nAPI:  {string.Join("; ", want.Keys.Order(StringComparer.Ordinal))}\npage: {string.Join("; ", got.Select(Key).Order(StringComparer.Ordinal))}");
        foreach (var point in got)
        {
            Close(want[Key(point)], point.Y, $"{what} at {Key(point)}");
        }
    }

    public static void Close(double? expected, double? actual, string what)
    {
        if (expected is null)
        {
            Assert.True(actual is null, $"{what}: expected none, the page shows {actual}");
            return;
        }

        Assert.True(actual is not null, $"{what}: expected {expected}, the page shows none");
        Assert.True(Math.Abs(actual.Value - expected.Value) <= 1e-9 * Math.Max(1, Math.Abs(expected.Value)), $"{what}: expected {expected}, the page shows {actual}");
    }

    /// <summary>A row as one line of text, to compare rows whole.</summary>
    public static string Line(IReadOnlyList<string> row) => string.Join(" | ", row);

    // A time axis may hold a period as milliseconds since 1970 rather than as its day.
    private static string Period(string x) =>
        double.TryParse(x, NumberStyles.Float, CultureInfo.InvariantCulture, out var ms) && ms > 1e11
            ? DateTimeOffset.FromUnixTimeMilliseconds((long)ms).UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
            : x;
}
