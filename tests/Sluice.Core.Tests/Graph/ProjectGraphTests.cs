using Sluice.Core.Graph;
using Sluice.Core.Project;
using Sluice.Core.Templating;

namespace Sluice.Core.Tests.Graph;

public sealed class ProjectGraphTests
{
    // raw_orders (seed) → stg_orders → fct_orders → rpt_daily
    //                     stg_customers ↗          ↘ rpt_customers ← dim_customers (snapshot)
    internal static ProjectGraph Sample() => ProjectGraph.Build(
    [
        Node("raw_orders", NodeKind.Seed, "seeds/raw_orders.csv", []),
        Node("stg_orders", NodeKind.Model, "models/staging/stg_orders.sql", ["raw_orders"], tags: ["staging"], materialized: "view"),
        Node("stg_customers", NodeKind.Model, "models/staging/stg_customers.sql", [], tags: ["staging"], materialized: "view"),
        Node("fct_orders", NodeKind.Model, "models/marts/fct_orders.sql", ["stg_orders", "stg_customers"], tags: ["nightly"], materialized: "incremental"),
        Node("rpt_daily", NodeKind.Model, "models/marts/reports/rpt_daily.sql", ["fct_orders"], tags: ["nightly", "reports"]),
        Node("dim_customers", NodeKind.Snapshot, "snapshots/dim_customers.sql", ["stg_customers"]),
        Node("rpt_customers", NodeKind.Model, "models/marts/reports/rpt_customers.sql", ["fct_orders", "dim_customers"], tags: ["reports"]),
    ]);

    internal static GraphNode Node(string name, NodeKind kind, string path, string[] refs, string[]? tags = null, string materialized = "table") =>
        new(name, kind, path, tags ?? [], new Dictionary<string, string> { ["materialized"] = materialized },
            refs.Select((r, i) => new NodeReference(r, path, new TextPosition(i + 1, 8))).ToList());

    [Fact]
    public void Order_puts_parents_first_and_breaks_ties_by_name()
    {
        Assert.Equal(
            ["raw_orders", "stg_customers", "dim_customers", "stg_orders", "fct_orders", "rpt_customers", "rpt_daily"],
            Sample().Order);
    }

    [Fact]
    public void Ancestors_and_descendants_follow_references_to_any_depth_or_a_limited_one()
    {
        var graph = Sample();
        Assert.Equal(["fct_orders", "raw_orders", "stg_customers", "stg_orders"], graph.Ancestors("rpt_daily").Order());
        Assert.Equal(["fct_orders"], graph.Ancestors("rpt_daily", 1).Order());
        Assert.Equal(["dim_customers", "fct_orders", "rpt_customers", "rpt_daily"], graph.Descendants("stg_customers").Order());
    }

    [Fact]
    public void A_reference_to_nothing_names_file_line_and_the_closest_name()
    {
        var error = Assert.Throws<ConfigurationException>(() => ProjectGraph.Build(
        [
            Node("stg_orders", NodeKind.Model, "models/stg_orders.sql", []),
            Node("fct_orders", NodeKind.Model, "models/fct_orders.sql", ["stg_order"]),
        ]));
        Assert.Equal("models/fct_orders.sql:1:8: ref('stg_order') names no model, seed or snapshot — did you mean 'stg_orders'?", error.Message);
    }

    [Fact]
    public void A_cycle_is_printed_in_the_direction_data_flows_with_the_place_of_each_ref()
    {
        var error = Assert.Throws<ConfigurationException>(() => ProjectGraph.Build(
        [
            Node("a", NodeKind.Model, "models/a.sql", ["c"]),
            Node("b", NodeKind.Model, "models/b.sql", ["a"]),
            Node("c", NodeKind.Model, "models/c.sql", ["b"]),
            Node("d", NodeKind.Model, "models/d.sql", ["c"]),
        ]));
        Assert.Equal(
            "models/b.sql:1:8: models depend on each other in a cycle: a → b → c → a, through ref('a') at models/b.sql:1:8, ref('b') at models/c.sql:1:8 and ref('c') at models/a.sql:1:8; remove one of these references.",
            error.Message);
    }

    [Fact]
    public void Two_resources_with_one_name_are_refused()
    {
        var error = Assert.Throws<ConfigurationException>(() => ProjectGraph.Build(
        [
            Node("orders", NodeKind.Seed, "seeds/orders.csv", []),
            Node("orders", NodeKind.Model, "models/orders.sql", []),
        ]));
        Assert.Contains("models/orders.sql: the name 'orders' is already used by seeds/orders.csv", error.Message);
    }
}
