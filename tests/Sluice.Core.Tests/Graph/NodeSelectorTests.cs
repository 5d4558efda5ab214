using Sluice.Core.Graph;
using Sluice.Core.Project;

namespace Sluice.Core.Tests.Graph;

public sealed class NodeSelectorTests
{
    private static readonly ProjectGraph Graph = ProjectGraphTests.Sample();

    [Theory]
    [InlineData("", "", "dim_customers fct_orders raw_orders rpt_customers rpt_daily stg_customers stg_orders")]
    [InlineData("fct_orders", "", "fct_orders")]
    [InlineData("+fct_orders", "", "fct_orders raw_orders stg_customers stg_orders")]
    [InlineData("fct_orders+", "", "fct_orders rpt_customers rpt_daily")]
    [InlineData("+fct_orders+", "", "fct_orders raw_orders rpt_customers rpt_daily stg_customers stg_orders")]
    [InlineData("1+fct_orders", "", "fct_orders stg_customers stg_orders")]
    [InlineData("stg_customers+1", "", "dim_customers fct_orders stg_customers")]
    [InlineData("@stg_orders", "", "dim_customers fct_orders raw_orders rpt_customers rpt_daily stg_customers stg_orders")]
    [InlineData("tag:nightly", "", "fct_orders rpt_daily")]
    [InlineData("tag:nightly tag:staging", "", "fct_orders rpt_daily stg_customers stg_orders")]
    [InlineData("tag:nightly,tag:reports", "", "rpt_daily")]
    [InlineData("path:models/marts", "", "fct_orders rpt_customers rpt_daily")]
    [InlineData("path:models/marts/reports/rpt_daily.sql", "", "rpt_daily")]
    [InlineData("config.materialized:incremental", "", "fct_orders")]
    [InlineData("config.materialized:view+", "", "dim_customers fct_orders rpt_customers rpt_daily stg_customers stg_orders")]
    [InlineData("stg_*", "", "stg_customers stg_orders")]
    [InlineData("resource_type:snapshot", "", "dim_customers")]
    [InlineData("path:models", "tag:reports", "fct_orders stg_customers stg_orders")]
    [InlineData("+rpt_customers", "+dim_customers", "fct_orders raw_orders rpt_customers stg_orders")]
    public void Selectors_pick_what_dbt_would(string select, string exclude, string expected)
    {
        var chosen = NodeSelector.Select(Graph, select.Length == 0 ? [] : [select], exclude.Length == 0 ? [] : [exclude]);
        Assert.Equal(expected, string.Join(" ", chosen.Order(StringComparer.Ordinal)));
    }

    [Theory]
    [InlineData("nope", "--select 'nope' matches no model, seed or snapshot.")]
    [InlineData("colour:red", "--select 'colour:red': unknown selector method 'colour'")]
    [InlineData("tag:", "--select 'tag:': the value after 'tag:' is missing.")]
    [InlineData("++a", "--select '++a': not a selector")]
    public void Bad_selectors_are_errors_that_name_them(string select, string message)
    {
        var error = Assert.Throws<ConfigurationException>(() => NodeSelector.Select(Graph, [select], []));
        Assert.StartsWith(message, error.Message);
    }
}
