using Microsoft.AspNetCore.WebUtilities;

namespace Sluice.Web.Tests.Api;

/// <summary>
/// The range a page asked its panels' data for, read from the requests it made. The contract
/// leaves open whether the last N days end today or yesterday; the tests take the page's choice,
/// check that it is one of the two and N days long, and then ask the API for the same range.
/// </summary>
public static class RequestedRange
{
    /// <summary>The range of <paramref name="days"/> days the page used, among <paramref name="requests"/>.</summary>
    public static DayRange Of(IEnumerable<Uri> requests, DashboardDefinition dashboard, int days, DateOnly today)
    {
        var ranges = Ranges(requests, dashboard).Where(r => r.Days == days).Distinct().ToList();
        Assert.True(ranges.Count > 0, $"the page asked for no range of {days} days; it asked for {string.Join(", ", Ranges(requests, dashboard).Distinct())}");
        // A number panel's comparison asks for the range before too: the range is the latest.
        var range = ranges.MaxBy(r => r.To)!;
        Assert.True(range.To == today || range.To == today.AddDays(-1), $"the page's range {range} ends neither today ({DayRange.Day(today)}) nor yesterday");
        return range;
    }

    /// <summary>Every (from, to) pair the page sent to a panel's query.</summary>
    public static IEnumerable<DayRange> Ranges(IEnumerable<Uri> requests, DashboardDefinition dashboard)
    {
        var queries = dashboard.Panels.Select(p => p.Query).OfType<PanelQuery>().Where(q => q.From is not null && q.To is not null).ToList();
        foreach (var request in requests)
        {
            var parameters = QueryHelpers.ParseQuery(request.Query);
            foreach (var query in queries.Where(q => q.Path == request.AbsolutePath))
            {
                if (parameters.TryGetValue(query.From!, out var from) && parameters.TryGetValue(query.To!, out var to))
                {
                    yield return new DayRange(DayRange.Parse(from.ToString()), DayRange.Parse(to.ToString()));
                    break;
                }
            }
        }
    }

    /// <summary>The values the page sent for parameter <paramref name="name"/> in requests to <paramref name="path"/>.</summary>
    public static IEnumerable<string> Sent(IEnumerable<Uri> requests, string path, string name) =>
        requests.Where(r => r.AbsolutePath == path)
            .SelectMany(r => QueryHelpers.ParseQuery(r.Query).TryGetValue(name, out var values) ? values.Select(v => v ?? string.Empty) : []);
}
