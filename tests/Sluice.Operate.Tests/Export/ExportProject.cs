using System.Globalization;
using Sluice.Core.Graph;
using Sluice.Core.Models;
using Sluice.Core.Project;
using Sluice.Core.Warehouse;
using Sluice.Models.Run;
using Sluice.Models.State;
using Sluice.Operate.Export;
using Sluice.Testing;
using Sluice.Warehouses;

namespace Sluice.Operate.Tests.Export;

/// <summary>
/// A project whose marts are built once per test class on the warehouse a subclass chooses:
/// the sales seed (<see cref="SalesData"/>), a day-partitioned mart keyed by day and tenant, a
/// table keyed by tenant with awkward values, and models that cannot be exported for each of
/// the reasons an export refuses (no key, a key that is not unique, a column named _id, never
/// built), an ephemeral one that has nothing to export, and a snapshot of the tenants.
/// </summary>
public abstract class ExportProject : IAsyncLifetime
{
    /// <summary>The rows of the numbers model: more than two Parquet row groups.</summary>
    public const int NumbersRows = 250_000;

    public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("sluice-export-").FullName;

    public IWarehouse Warehouse { get; private set; } = null!;

    public ParsedProject Project { get; private set; } = null!;

    /// <summary>The warehouse section of sluice.yml.</summary>
    protected abstract Task<string> WarehouseYamlAsync();

    public async Task InitializeAsync()
    {
        Write("sluice.yml", $"name: export_tests\n{await WarehouseYamlAsync()}models:\n  marts:\n    +schema: marts\n");
        Write("seeds/sales.csv", SalesData.Csv());
        Write("models/marts/daily_sales.sql", """
            {{ config(materialized='incremental', partition_by='d', unique_key='tenant') }}
            select
                cast(sold_at as date) as d,
                tenant,
                count(*) as orders,
                sum(cast(amount as decimal(12, 2))) as revenue,
                max(sold_at) as last_sale_at
            from {{ ref('sales') }}
            where sold_at >= cast('{{ partition_start }}' as timestamp) and sold_at < cast('{{ partition_end }}' as timestamp)
            group by 1, 2
            """);
        Write("models/marts/tenants.sql", """
            {{ config(materialized='table', unique_key='tenant') }}
            select
                tenant,
                count(*) as orders,
                true as active,
                cast(null as varchar) as nothing,
                '' as empty_text,
                'first line' || chr(10) || 'second, "quoted"' as remark,
                cast(0.1 as double precision) + cast(0.2 as double precision) as float_sum
            from {{ ref('sales') }}
            group by tenant
            """);

        // Several Parquet row groups, stored in an order other than the key's.
        Write("models/big/numbers.sql", $$$"""
            {{ config(materialized='table', schema='marts', unique_key='n') }}
            select n, n % 7 as bucket, cast(n as double precision) / 3 as third, 'n' || cast(n as varchar) as label
            from generate_series(1, {{{NumbersRows}}}) as numbers (n)
            order by md5(cast(n as varchar))
            """);
        Write("models/marts/no_key.sql", "{{ config(materialized='table') }}\nselect 1 as x\n");
        Write("models/marts/dupes.sql", "{{ config(materialized='table', unique_key='tenant') }}\nselect tenant, id from {{ ref('sales') }}\n");
        Write("models/marts/clash.sql", "{{ config(materialized='table', unique_key='k') }}\nselect 1 as k, 'x' as _id\n");
        Write("models/marts/unbuilt.sql", "{{ config(materialized='table', unique_key='k') }}\nselect 1 as k\n");
        Write("snapshots/tenant_history.sql", """
            {% snapshot tenant_history %}
            {{ config(unique_key='tenant', strategy='check', check_cols=['orders']) }}
            select tenant, orders from {{ ref('tenants') }}
            {% endsnapshot %}
            """);
        Write("models/marts/helper.sql", "{{ config(materialized='ephemeral') }}\nselect 1 as x\n");

        Project = ProjectParser.Parse(ProjectLoader.Load(Directory));
        Warehouse = WarehouseFactory.Create(Project.Project.Warehouse, Project.Project.Directory);
        await BuildAsync("sales");
        await BuildAsync("path:models/marts path:models/big", "unbuilt");
        await BuildAsync("tenant_history");
    }

    public async Task DisposeAsync()
    {
        await Warehouse.DisposeAsync();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>Plans the export of what <paramref name="select"/> picks.</summary>
    public ExportPlan Plan(ExportRequest request, params string[] select) =>
        ExportPlanner.Plan(Project, NodeSelector.Select(Project.Graph, select, []), request);

    /// <summary>Plans and runs an export of <paramref name="select"/> to <paramref name="directory"/>.</summary>
    public Task<ExportSummary> ExportAsync(string directory, ExportFormat format, DayRange? range = null, params string[] select)
    {
        var request = new ExportRequest(directory, format) { Range = range, Select = select };
        return new ExportRunner(Warehouse, TimeProvider.System).RunAsync(Plan(request, select), request, new QuietExport(), CancellationToken.None);
    }

    private async Task BuildAsync(string select, params string[] exclude)
    {
        var options = new RunOptions
        {
            From = SalesData.FirstDay,
            To = SalesData.FirstDay.AddDays(SalesData.Days - 1),
        };
        var results = await new ModelRunner(Project, Warehouse).RunAsync(NodeSelector.Select(Project.Graph, [select], exclude), options, new SilentRun(), CancellationToken.None);
        var failed = results.Where(r => r.Status != JobStatus.Success).Select(r => $"{r.Name}: {r.Error}").ToList();
        Assert.True(failed.Count == 0, string.Join("\n", failed));
    }

    private void Write(string path, string text)
    {
        var full = Path.Combine(Directory, path);
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, text);
    }
}

public sealed class DuckDbExportProject : ExportProject
{
    protected override Task<string> WarehouseYamlAsync() => Task.FromResult("warehouse:\n  type: duckdb\n  path: warehouse.duckdb\n");
}

public sealed class PostgresExportProject : ExportProject
{
    protected override async Task<string> WarehouseYamlAsync()
    {
        var server = await PostgresServer.GetAsync();
        return $"warehouse:\n  type: postgres\n  url: {await server.CreateDatabaseAsync("export")}\n";
    }
}

/// <summary>Progress that shows nothing but keeps what it heard, for tests that check it.</summary>
public sealed class QuietExport : IExportProgress
{
    public List<string> Events { get; } = [];

    public void Started(ExportTarget target, int index, int total) => Events.Add($"started {target.Name} {index}/{total}");

    public void Rows(ExportTarget target, long rows) => Events.Add($"rows {target.Name} {rows.ToString(CultureInfo.InvariantCulture)}");

    public void Finished(ModelExport result, int index, int total) => Events.Add($"finished {result.Target.Name} {result.Status}");
}
