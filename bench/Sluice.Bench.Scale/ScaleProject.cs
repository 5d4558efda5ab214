namespace Sluice.Bench;

/// <summary>One question asked of every engine: a name and its request.</summary>
internal sealed record Question(string Name, string Description, string Path);

/// <summary>
/// The served project: both tables declared as sources and served through metrics.yml, with
/// the answer cache off so that every request reaches the engine. The same files for every
/// engine but the warehouse block of sluice.yml.
/// </summary>
internal static class ScaleProject
{
    private static string Range => $"from={ScaleData.FirstDay:yyyy-MM-dd}&to={ScaleData.LastDay:yyyy-MM-dd}";

    /// <summary>The three questions, over the whole year.</summary>
    public static IReadOnlyList<Question> Questions { get; } =
    [
        new("trend", "trend by month, grouped by dimension", $"/api/v1/metrics/score/trend?granularity=month&group_by=dimension&page_size=1000&{Range}"),
        new("cohorts", "cohorts of 10 companies with quartiles", $"/api/v1/metrics/score/cohorts?by=company&cohorts={string.Join(",", Enumerable.Range(1, 10).Select(c => ScaleData.Company(c)))}&{Range}"),
        new("funnel", "3-step funnel, 30-day window", $"/api/v1/funnels/program?{Range}"),
    ];

    /// <summary>Writes sluice.yml with <paramref name="warehouse"/> (the lines under <c>warehouse:</c>), the sources and metrics.yml.</summary>
    public static async Task WriteAsync(string directory, string warehouse)
    {
        Directory.CreateDirectory(Path.Combine(directory, "models"));
        await File.WriteAllTextAsync(Path.Combine(directory, "sluice.yml"), $"""
            name: scale_bench
            warehouse:
            {Indent(warehouse)}
            serve:
              cache: false

            """);
        await File.WriteAllTextAsync(Path.Combine(directory, "models", "sources.yml"), """
            version: 2
            sources:
              - name: raw
                schema: raw
                tables:
                  - name: facts
                  - name: events

            """);
        await File.WriteAllTextAsync(Path.Combine(directory, "metrics.yml"), """
            metrics:
              - name: score
                model: "source('raw', 'facts')"
                time: created_at
                measure: {agg: avg, expr: score}
                dimensions: [company, dimension]
            funnels:
              - name: program
                model: "source('raw', 'events')"
                entity: entity
                time: event_time
                step: {column: step, values: [enrolled, matched, completed]}
                window: 30d

            """);
    }

    private static string Indent(string lines) => string.Join('\n', lines.Split('\n').Select(l => "  " + l));
}
