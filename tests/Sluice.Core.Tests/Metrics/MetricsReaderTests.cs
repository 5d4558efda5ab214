using Sluice.Core.Metrics;
using Sluice.Core.Models;
using Sluice.Core.Project;

namespace Sluice.Core.Tests.Metrics;

public sealed class MetricsReaderTests : IDisposable
{
    private const string Full = """
        tenant: {column: company_id}
        metrics:
          - name: outcome_score
            model: fct_outcome_scores
            time: created_at
            measure: {agg: avg, expr: score}
            dimensions: [dimension, program, company_id]
            description: Mean outcome score.
          - name: p90_score
            model: ref('fct_outcome_scores')
            time: created_at
            measure: {agg: percentile, expr: score, p: 0.9}
          - name: events
            model: source('app', 'events')
            time: occurred_at
            measure: {agg: count}
        funnels:
          - name: program_journey
            model: fct_user_events
            entity: user_id
            time: occurred_at
            step: {column: event_name, values: [enrolled, matched, completed]}
            window: 30d
        benchmarks:
          - name: outcome_vs_peers
            metric: outcome_score
            entity: company_id
            peer_groups: {industry: ref('dim_company').industry, region: "ref('dim_company').region"}
        expose:
          - model: fct_appointments
            filters: [patient_id, appointment_status, date: {column: appointment_date, range: true}]
        """;

    private readonly string _directory = Directory.CreateTempSubdirectory("sluice-metrics-").FullName;

    public MetricsReaderTests()
    {
        Write("sluice.yml", "name: demo\n");
        Write("models/sources.yml", "version: 2\nsources:\n  - name: app\n    tables:\n      - name: events\n");
        foreach (var model in new[] { "fct_outcome_scores", "fct_user_events", "dim_company", "fct_appointments" })
        {
            Write($"models/{model}.sql", "select 1 as id");
        }
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Reads_every_section()
    {
        Write("metrics.yml", Full);

        var catalog = MetricsReader.Read(Parse());

        Assert.Equal("company_id", catalog.TenantColumn);
        Assert.Equal(["outcome_score", "p90_score", "events"], catalog.Metrics.Select(m => m.Name));
        var score = catalog.Metrics[0];
        Assert.Equal((RelationReference.ForModel("fct_outcome_scores"), "created_at", new Measure(Aggregation.Avg, "score")), (score.Relation, score.Time, score.Measure));
        Assert.Equal(["dimension", "program", "company_id"], score.Dimensions);
        Assert.Equal("Mean outcome score.", score.Description);
        Assert.EndsWith("metrics.yml:3:5", score.Location, StringComparison.Ordinal);
        Assert.Equal(new Measure(Aggregation.Percentile, "score", 0.9), catalog.Metrics[1].Measure);
        Assert.Equal((RelationReference.ForSource("app", "events"), new Measure(Aggregation.Count, null)), (catalog.Metrics[2].Relation, catalog.Metrics[2].Measure));

        var funnel = Assert.Single(catalog.Funnels);
        Assert.Equal(("user_id", "occurred_at", "event_name", TimeSpan.FromDays(30)), (funnel.Entity, funnel.Time, funnel.StepColumn, funnel.Window));
        Assert.Equal(["enrolled", "matched", "completed"], funnel.Steps);

        var benchmark = Assert.Single(catalog.Benchmarks);
        Assert.Equal(("outcome_score", "company_id"), (benchmark.Metric, benchmark.Entity));
        Assert.Equal(
            [new PeerGroup("industry", RelationReference.ForModel("dim_company"), "industry"), new PeerGroup("region", RelationReference.ForModel("dim_company"), "region")],
            benchmark.PeerGroups);

        var exposed = Assert.Single(catalog.Exposed);
        Assert.Equal("fct_appointments", exposed.Name);
        Assert.Equal(
            [new ExposedFilter("patient_id", "patient_id", false), new ExposedFilter("appointment_status", "appointment_status", false), new ExposedFilter("date", "appointment_date", true)],
            exposed.Filters);
    }

    [Fact]
    public void A_project_without_metrics_yml_has_an_empty_catalog()
    {
        var catalog = MetricsReader.Read(Parse());

        Assert.Same(MetricsCatalog.Empty, catalog);
    }

    [Theory]
    [InlineData("metrics:\n  - name: m\n    model: nowhere\n    time: t\n    measure: {agg: count}\n", "metrics.yml:3:12: model: 'nowhere' names no model, seed or snapshot of this project.")]
    [InlineData("metrics:\n  - name: m\n    model: dim_company\n    time: t\n    measure: {agg: median, expr: x}\n", "metrics.yml:5:20: metric 'm': unknown agg 'median'; use count, count_distinct, sum, avg, min, max or percentile.")]
    [InlineData("metrics:\n  - name: m\n    model: dim_company\n    time: t\n    measure: {agg: sum}\n", "metrics.yml:5:14: metric 'm': agg sum needs expr, the column or SQL expression it aggregates, such as `expr: score`.")]
    [InlineData("metrics:\n  - name: m\n    model: dim_company\n    time: t\n    measure: {agg: percentile, expr: x, p: 90}\n", "metrics.yml:5:44: p must be a fraction from 0 to 1, such as 0.95 (95% of the rows), not '90'.")]
    [InlineData("metrics:\n  - name: m\n    model: dim_company\n    measure: {agg: count}\n", "metrics.yml:2:5: metric 'm' needs time, such as `time: created_at`.")]
    [InlineData("metrics:\n  - name: m\n    model: dim_company\n    time: t\n    measure: {agg: count}\n    dimension: [a]\n", "metrics.yml:6:5: unknown key 'dimension' in a metric; the allowed keys are name, model, time, measure, dimensions, description.")]
    [InlineData("metrics:\n  - name: 'm; drop table x'\n    model: dim_company\n    time: t\n    measure: {agg: count}\n", "metrics.yml:2:11: metric name 'm; drop table x' may hold letters, digits, '_' and '-' only (it appears in URLs), and starts with a letter.")]
    [InlineData("metrics:\n  - name: m\n    model: dim_company\n    time: \"t; --\"\n    measure: {agg: count}\n", "metrics.yml:4:11: time: 't; --' is not a column name (letters, digits and '_', not starting with a digit).")]
    [InlineData("metrics:\n  - name: m\n    model: dim_company\n    time: t\n    measure: {agg: count}\n  - name: m\n    model: dim_company\n    time: t\n    measure: {agg: count}\n", "metrics.yml:6:11: metric 'm' is declared twice (first at ")]
    [InlineData("funnels:\n  - name: f\n    model: fct_user_events\n    entity: user_id\n    time: at\n    step: {column: e, values: [only]}\n", "metrics.yml:6:31: funnel 'f': a funnel needs two or more steps in step.values.")]
    [InlineData("benchmarks:\n  - name: b\n    metric: missing\n    entity: company_id\n    peer_groups: {industry: ref('dim_company').industry}\n", "metrics.yml:3:13: benchmark 'b': metric 'missing' is not declared under metrics (there are none).")]
    [InlineData("metrics:\n  - name: m\n    model: dim_company\n    time: t\n    measure: {agg: count}\nbenchmarks:\n  - name: b\n    metric: m\n    entity: company_id\n    peer_groups: {industry: dim_company}\n", "metrics.yml:10:29: benchmark 'b': peer_groups.industry must be a relation and its column, such as ref('dim_company').industry, not 'dim_company'.")]
    [InlineData("metrics:\n  - name: m\n    model: dim_company\n    time: t\n    measure: {agg: avg, expr: x}\nbenchmarks:\n  - name: b\n    metric: m\n    entity: company_id\n    peer_groups: {industry: ref('dim_company').industry}\n    peers: everyone\n", "metrics.yml:11:12: benchmark 'b': peers must be `tenant` (a tenant key's peers are its own rows; the default) or `cross_tenant`")]
    [InlineData("metrics:\n  - name: m\n    model: dim_company\n    time: t\n    measure: {agg: avg, expr: x}\nbenchmarks:\n  - name: b\n    metric: m\n    entity: company_id\n    peer_groups: {industry: ref('dim_company').industry}\n    peers: cross_tenant\n    min_peers: 2\n", "metrics.yml:12:16: benchmark 'b': min_peers must be between 5 and 1000000, not 2.")]
    [InlineData("metrics:\n  - name: m\n    model: dim_company\n    time: t\n    measure: {agg: avg, expr: x}\nbenchmarks:\n  - name: b\n    metric: m\n    entity: company_id\n    peer_groups: {industry: ref('dim_company').industry}\n    min_peers: 8\n", "metrics.yml:11:16: benchmark 'b': min_peers applies to `peers: cross_tenant` only")]
    [InlineData("expose:\n  - model: fct_appointments\n    filters: [a, a]\n", "metrics.yml:3:18: filter 'a' appears twice for fct_appointments; keep one.")]
    [InlineData("tenant: company_id\n", "metrics.yml:1:9: tenant must be a mapping with the keys column.")]
    public void Bad_definitions_fail_at_their_line(string yaml, string message)
    {
        Write("metrics.yml", yaml);

        var error = Assert.Throws<ConfigurationException>(() => MetricsReader.Read(Parse()));

        Assert.StartsWith(Path.Combine(_directory, message), error.Message, StringComparison.Ordinal);
    }

    private void Write(string path, string text)
    {
        var full = Path.Combine(_directory, path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, text);
    }

    private ParsedProject Parse() => ProjectParser.Parse(ProjectLoader.Load(_directory, _ => null));
}
