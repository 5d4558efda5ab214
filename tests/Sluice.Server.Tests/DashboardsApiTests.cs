using System.Net;
using System.Text.Json;

namespace Sluice.Server.Tests;

/// <summary>The analytics project on DuckDB with Projects/dashboards/outcomes.yml added.</summary>
public sealed class DashboardProject : ServedProject
{
    protected override Task<string?> ProfilesAsync() => Task.FromResult<string?>(null);

    protected override Task BeforeServingAsync()
    {
        var folder = Directory.CreateDirectory(Path.Combine(ProjectDirectory, "dashboards")).FullName;
        File.Copy(Path.Combine(AppContext.BaseDirectory, "Projects", "dashboards", "outcomes.yml"), Path.Combine(folder, "outcomes.yml"));
        return Task.CompletedTask;
    }
}

/// <summary>The dashboards' definitions as the web app reads them, and the requests they spell out.</summary>
public sealed class DashboardsApiTests(DashboardProject project) : IClassFixture<DashboardProject>
{
    private static readonly DateOnly From = AnalyticsData.Start;
    private static readonly DateOnly To = AnalyticsData.Start.AddDays(89);

    [Fact]
    public async Task The_list_names_each_dashboard_with_its_panel_count()
    {
        var body = await project.GetAsync("/api/v1/dashboards");

        var only = Assert.Single(body.GetProperty("dashboards").EnumerateArray());
        Assert.Equal(("outcomes", "Outcomes", 5, "dashboards/outcomes.yml"),
            (only.GetProperty("name").GetString(), only.GetProperty("title").GetString(), only.GetProperty("panels").GetInt32(), only.GetProperty("file").GetString()));
    }

    [Fact]
    public async Task A_dashboard_spells_out_each_panels_request_and_which_filters_apply()
    {
        var body = await project.GetAsync("/api/v1/dashboards/outcomes");

        Assert.Equal((90, JsonValueKind.Null), (body.GetProperty("range_days").GetInt32(), body.GetProperty("refresh_seconds").ValueKind));
        var filters = body.GetProperty("filters").EnumerateArray().ToList();
        Assert.Equal("/api/v1/metrics/outcome_score/dimensions/program/values", filters[0].GetProperty("values_path").GetString());
        Assert.Equal("/api/v1/metrics/visit_fee/dimensions/doctor_name/values", filters[1].GetProperty("values_path").GetString());

        var panels = body.GetProperty("panels").EnumerateArray().ToDictionary(p => p.GetProperty("id").GetString()!);
        var score = panels["score"].GetProperty("query");
        Assert.Equal(("trend", "/api/v1/metrics/outcome_score/trend", "filter[{name}]"),
            (score.GetProperty("kind").GetString(), score.GetProperty("path").GetString(), score.GetProperty("filter_parameter").GetString()));
        Assert.Equal("""{"granularity":["week"],"group_by":["program"],"page_size":["1000"]}""", score.GetProperty("parameters").GetRawText());
        Assert.Equal(["program"], Names(panels["score"].GetProperty("filters")));
        Assert.Equal("#d62728", panels["score"].GetProperty("thresholds")[0].GetProperty("color").GetString());

        var visits = panels["visits"].GetProperty("query");
        Assert.Equal(("rows", "date_from", "date_to", "{name}"),
            (visits.GetProperty("kind").GetString(), visits.GetProperty("range").GetProperty("from").GetString(), visits.GetProperty("range").GetProperty("to").GetString(), visits.GetProperty("filter_parameter").GetString()));
        Assert.Equal(["doctor_name"], Names(panels["visits"].GetProperty("filters")));
        Assert.Equal("""{"filter[channel]":["web"]}""", panels["journey"].GetProperty("query").GetProperty("parameters").GetRawText());
        Assert.Empty(Names(panels["fees"].GetProperty("filters")));
        Assert.Equal("total", panels["assessments"].GetProperty("query").GetProperty("parameters").GetProperty("granularity")[0].GetString());
    }

    [Fact]
    public async Task Every_panels_request_is_one_the_api_answers()
    {
        var body = await project.GetAsync("/api/v1/dashboards/outcomes");

        foreach (var panel in body.GetProperty("panels").EnumerateArray())
        {
            var query = panel.GetProperty("query");
            var parameters = query.GetProperty("parameters").EnumerateObject()
                .SelectMany(p => p.Value.EnumerateArray().Select(v => $"{Uri.EscapeDataString(p.Name)}={Uri.EscapeDataString(v.GetString()!)}"))
                .Append($"{query.GetProperty("range").GetProperty("from").GetString()}={ServedProject.Day(From)}")
                .Append($"{query.GetProperty("range").GetProperty("to").GetString()}={ServedProject.Day(To)}");
            var answer = await project.GetAsync($"{query.GetProperty("path").GetString()}?{string.Join("&", parameters)}");
            Assert.True(answer.ValueKind == JsonValueKind.Object, panel.GetProperty("id").GetString());
        }
    }

    [Fact]
    public async Task Dimension_values_are_counted_from_the_rows_most_frequent_first()
    {
        var to = From.AddDays(20);
        var body = await project.GetAsync($"/api/v1/metrics/outcome_score/dimensions/program/values?from={ServedProject.Day(From)}&to={ServedProject.Day(to)}");

        var expected = AnalyticsData.Scores.Where(s => Expected.InRange(s.CreatedAt, From, to))
            .GroupBy(s => s.Program).Select(g => (g.Key, (long)g.Count()))
            .OrderByDescending(g => g.Item2).ThenBy(g => g.Key, StringComparer.Ordinal).ToList();
        Assert.Equal(expected, body.GetProperty("values").EnumerateArray().Select(v => (v.GetProperty("value").GetString()!, v.GetProperty("count").GetInt64())));
        Assert.Equal(("outcome_score", "program"), (body.GetProperty("metric").GetString(), body.GetProperty("dimension").GetString()));
    }

    [Fact]
    public async Task Unknown_dashboards_and_dimensions_are_404_problems_naming_what_there_is()
    {
        var dashboard = await project.ProblemAsync("/api/v1/dashboards/sales", HttpStatusCode.NotFound);
        var dimension = await project.ProblemAsync("/api/v1/metrics/outcome_score/dimensions/country/values", HttpStatusCode.NotFound);

        Assert.Equal("There is no dashboard 'sales'; dashboards: outcomes.", dashboard.GetProperty("detail").GetString());
        Assert.Contains("its dimensions are dimension, program, company_id", dimension.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    private static List<string> Names(JsonElement array) => [.. array.EnumerateArray().Select(e => e.GetString()!)];
}
