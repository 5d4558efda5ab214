using Sluice.Core.Graph;
using Sluice.Core.Models;
using Sluice.Core.Warehouse;
using Sluice.Models.Run;
using Sluice.Models.State;

namespace Sluice.Checks.Tests;

/// <summary>
/// Checks inside a build: each model's checks run right after it, an error-severity failure
/// skips exactly its descendants, warnings stop nothing, and checks of a partitioned model look
/// only at the partitions the run built.
/// </summary>
public abstract class BuildGateTests<TProject>(TProject project) : IClassFixture<TProject>
    where TProject : QualityProject
{
    private static readonly string[] GateModels = ["gate_orders", "gate_child", "gate_grandchild", "gate_unrelated", "gate_warned", "gate_warned_child"];

    [Fact]
    public async Task A_failing_error_check_skips_exactly_the_descendants_and_unrelated_models_still_run()
    {
        project.WriteFile("models/gate/gate_orders.sql", "select * from {{ ref('stg_orders') }}");
        project.WriteFile("models/gate/gate_child.sql", "select order_id, amount from {{ ref('gate_orders') }}");
        project.WriteFile("models/gate/gate_grandchild.sql", "select count(*) as orders from {{ ref('gate_child') }}");
        project.WriteFile("models/gate/gate_unrelated.sql", "select * from {{ ref('stg_customers') }}");
        project.WriteFile("models/gate/gate_warned.sql", "select * from {{ ref('stg_orders') }}");
        project.WriteFile("models/gate/gate_warned_child.sql", "select order_id from {{ ref('gate_warned') }}");
        project.WriteFile("models/gate/gate.yml", """
            version: 2
            models:
              - name: gate_orders
                columns:
                  - name: coupon
                    tests: [not_null]
              - name: gate_warned
                columns:
                  - name: coupon
                    tests:
                      - not_null: {severity: warn}
            """);
        try
        {
            var (models, checks) = await BuildAsync("path:models/gate", QualityProject.Days("2025-01-01", "2025-01-10"));
            Assert.Equal(JobStatus.Success, models["gate_orders"].Status);
            Assert.NotNull(models["gate_orders"].Blocked);
            Assert.Equal(JobStatus.Skipped, models["gate_child"].Status);
            Assert.Contains("not_null_gate_orders_coupon", models["gate_child"].Error);
            Assert.Equal(JobStatus.Skipped, models["gate_grandchild"].Status);
            Assert.Equal(JobStatus.Success, models["gate_unrelated"].Status);
            Assert.Equal(JobStatus.Success, models["gate_warned"].Status);
            Assert.Equal(JobStatus.Success, models["gate_warned_child"].Status);
            Assert.Equal(CheckStatus.Fail, checks["not_null_gate_orders_coupon"].Status);
            Assert.Equal(CheckStatus.Warn, checks["not_null_gate_warned_coupon"].Status);
            Assert.Equal(2, checks.Count);

            // The skipped models were not built: they do not exist in the warehouse.
            Assert.Null(await project.Session.DescribeTableAsync(new TableName("main", "gate_child")));
            Assert.Null(await project.Session.DescribeTableAsync(new TableName("main", "gate_grandchild")));
        }
        finally
        {
            foreach (var model in GateModels)
            {
                project.WriteFile($"models/gate/{model}.sql", null);
            }

            project.WriteFile("models/gate/gate.yml", null);
        }
    }

    [Fact]
    public async Task Checks_of_a_partitioned_model_look_only_at_the_partitions_built()
    {
        project.WriteChecks("""
            version: 2
            models:
              - name: fct_daily_orders
                columns:
                  - name: coupon
                    tests: [not_null]
            """);
        var (models, checks) = await BuildAsync("fct_daily_orders", QualityProject.Days("2025-01-03", "2025-01-04") with { Force = true });
        Assert.Equal(2, models["fct_daily_orders"].PartitionsBuilt);
        var check = checks["not_null_fct_daily_orders_coupon"];
        Assert.Equal(await project.CountAsync("select count(*) from main.orders where ordered_at between date '2025-01-03' and date '2025-01-04'"), check.RowsInScope);
        Assert.Equal(await project.CountAsync("select count(*) from main.orders where coupon is null and ordered_at between date '2025-01-03' and date '2025-01-04'"), check.FailingRows);
        Assert.Equal("2025-01-03..2025-01-04", check.Scope);

        // Partitions without nulls pass, though the table holds a null elsewhere.
        (_, checks) = await BuildAsync("fct_daily_orders", QualityProject.Days("2025-01-05", "2025-01-06") with { Force = true });
        Assert.Equal(CheckStatus.Pass, checks["not_null_fct_daily_orders_coupon"].Status);
        Assert.Equal(await project.CountAsync("select count(*) from main.orders where ordered_at between date '2025-01-05' and date '2025-01-06'"), checks["not_null_fct_daily_orders_coupon"].RowsInScope);

        // Nothing built: nothing to check.
        (_, checks) = await BuildAsync("fct_daily_orders", QualityProject.Days("2025-01-05", "2025-01-06"));
        Assert.Equal(CheckStatus.Skipped, checks["not_null_fct_daily_orders_coupon"].Status);
    }

    private async Task<(Dictionary<string, NodeResult> Models, Dictionary<string, CheckResult> Checks)> BuildAsync(string select, RunOptions options)
    {
        var parsed = project.Parse();
        var selected = NodeSelector.Select(parsed.Graph, [select], []);
        var checks = parsed.Checks.Where(c => c.Models.Any(selected.Contains)).ToList();
        var gate = new BuildChecks(parsed, new CheckRunner(parsed, project.Warehouse), checks, selected, new CheckRunOptions { InvocationId = options.InvocationId, Now = () => QualityProject.Now }, new Ignored());
        var results = await new ModelRunner(parsed, project.Warehouse, gate).RunAsync(selected, options, new Ignored(), CancellationToken.None);
        return (results.ToDictionary(r => r.Name), gate.Results.ToDictionary(r => r.Check.Name));
    }

    private sealed class Ignored : IRunObserver, ICheckObserver
    {
        public void Started(ModelDefinition model, int index, int total)
        {
        }

        public void PartitionFinished(ModelDefinition model, DatePartition partition, JobStatus status, int done, int total)
        {
        }

        public void Finished(NodeResult result, int index, int total)
        {
        }

        public void Finished(CheckResult result)
        {
        }
    }
}

public sealed class DuckDbBuildGateTests(DuckDbQualityProject project) : BuildGateTests<DuckDbQualityProject>(project);

public sealed class PostgresBuildGateTests(PostgresQualityProject project) : BuildGateTests<PostgresQualityProject>(project);

public sealed class ClickHouseBuildGateTests(ClickHouseQualityProject project) : BuildGateTests<ClickHouseQualityProject>(project);

public sealed class ClickHouseClusterBuildGateTests(ClickHouseClusterQualityProject project) : BuildGateTests<ClickHouseClusterQualityProject>(project);
