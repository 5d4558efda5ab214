using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;
using Sluice.Web.Tests.Api;
using Sluice.Web.Tests.Hook;

namespace Sluice.Web.Tests;

/// <summary>
/// The history endpoints as the tests read them themselves: every page of a query (as many rows
/// as the pipeline pages read), and the fields of a row as text or numbers.
/// </summary>
public static class PipelineHistory
{
    private const int PageSize = 500;
    private const int Cap = 2000;

    /// <summary>The first day of the last <paramref name="days"/> days up to <paramref name="today"/>.</summary>
    public static string Since(DateOnly today, int days) => today.AddDays(1 - days).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>Every row of <paramref name="path"/> with <paramref name="parameters"/>, newest first.</summary>
    public static async Task<List<JsonElement>> ReadAsync(DashboardApi api, string path, params (string Name, string Value)[] parameters)
    {
        var items = new List<JsonElement>();
        for (var offset = 0; ; offset += PageSize)
        {
            var query = parameters.Append(("limit", PageSize.ToString(CultureInfo.InvariantCulture))).Append(("offset", offset.ToString(CultureInfo.InvariantCulture)));
            var page = await api.GetAsync(QueryHelpers.AddQueryString(path, query.Select(p => KeyValuePair.Create(p.Item1, (string?)p.Item2))));
            var these = page.GetProperty("items").EnumerateArray().ToList();
            items.AddRange(these);
            if (these.Count < PageSize || items.Count >= page.GetProperty("total").GetInt64() || items.Count >= Cap)
            {
                return items;
            }
        }
    }

    /// <summary>A field as the hook shows it: text as it is, numbers in invariant form, null as empty.</summary>
    public static string Text(JsonElement item, string name) => item.TryGetProperty(name, out var value) ? PanelView.Cell(value) : string.Empty;

    public static double? Number(JsonElement item, string name) => item.TryGetProperty(name, out var value) ? PanelView.NumberOf(value) : null;

    /// <summary>The UTC day of a time as the API wrote it.</summary>
    public static string Day(string time) =>
        DateTimeOffset.Parse(time, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal).UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>Rows as text, for comparing a section's table with rows computed from the API.</summary>
    public static List<string> Lines(IEnumerable<IEnumerable<string>> rows) => [.. rows.Select(r => string.Join(" | ", r))];
}
