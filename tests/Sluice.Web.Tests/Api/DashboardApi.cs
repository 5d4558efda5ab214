using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;

namespace Sluice.Web.Tests.Api;

/// <summary>
/// The server's API as the tests call it themselves, with their own HttpClient: a dashboard's
/// definition, and each panel's query built from that definition alone.
/// </summary>
public sealed class DashboardApi(HttpClient client)
{
    public HttpClient Client => client;

    public async Task<DashboardDefinition> DashboardAsync(string name) => DashboardDefinition.Read(await GetAsync($"/api/v1/dashboards/{name}"));

    /// <summary>GETs <paramref name="pathAndQuery"/>, expecting 200, and returns the JSON body.</summary>
    public async Task<JsonElement> GetAsync(string pathAndQuery)
    {
        using var response = await client.GetAsync(pathAndQuery);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {pathAndQuery}: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    /// <summary>GETs <paramref name="pathAndQuery"/>, expecting a problem (RFC 7807), and returns its detail.</summary>
    public async Task<string> ProblemDetailAsync(string pathAndQuery)
    {
        using var response = await client.GetAsync(pathAndQuery);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode is >= 400 and < 500, $"GET {pathAndQuery}: expected a problem, got {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.GetProperty("detail").GetString()!;
    }

    /// <summary>
    /// The URL of <paramref name="panel"/>'s query over <paramref name="range"/> with the dashboard
    /// filters that apply to it; <paramref name="overrides"/> replace fixed parameters of the same name.
    /// </summary>
    public static string Url(PanelDefinition panel, DayRange? range, IReadOnlyDictionary<string, string> filters, params (string Name, string Value)[] overrides)
    {
        var query = panel.Query ?? throw new InvalidOperationException($"panel {panel.Id} has no query");
        var parameters = query.Parameters.Where(p => overrides.All(o => o.Name != p.Key)).ToList();
        parameters.AddRange(overrides.Select(o => KeyValuePair.Create(o.Name, o.Value)));
        if (range is not null && query.From is not null && query.To is not null)
        {
            parameters.Add(KeyValuePair.Create(query.From, DayRange.Day(range.From)));
            parameters.Add(KeyValuePair.Create(query.To, DayRange.Day(range.To)));
        }

        foreach (var (name, value) in filters.Where(f => panel.Filters.Contains(f.Key)))
        {
            parameters.Add(KeyValuePair.Create(query.FilterParameter.Replace("{name}", name, StringComparison.Ordinal), value));
        }

        return QueryHelpers.AddQueryString(query.Path, parameters.Select(p => KeyValuePair.Create(p.Key, (string?)p.Value)));
    }

    /// <summary>Every period of a trend answer, all pages of it; <paramref name="urlOfPage"/> gives the URL of page 1, 2, ...</summary>
    public async Task<List<JsonElement>> TrendAsync(Func<int, string> urlOfPage)
    {
        var periods = new List<JsonElement>();
        for (var page = 1; ; page++)
        {
            var answer = await GetAsync(urlOfPage(page));
            var these = answer.GetProperty("periods").EnumerateArray().ToList();
            periods.AddRange(these);
            var total = answer.TryGetProperty("pagination", out var pagination) && pagination.ValueKind == JsonValueKind.Object
                ? pagination.GetProperty("total").GetInt32()
                : periods.Count;
            if (these.Count == 0 || periods.Count >= total)
            {
                return periods;
            }
        }
    }
}
