using System.Security.Cryptography;
using Sluice.Core.Project;
using Sluice.Core.Warehouse;
using Sluice.Warehouses;

namespace Sluice.Bench.Chaos;

/// <summary>
/// A multi-tenant project for the API's chaos: orders, tenants and events of six tenants whose
/// text carries each tenant's marker (<c>MK-t3-91c</c>), so that a leak shows in any answer;
/// trends, cohorts, a funnel, benchmarks (within a tenant, of tenants, across tenants) and
/// exposed rows; a key per tenant and an admin key.
/// </summary>
public static class TenantWorld
{
    public const int Tenants = 6;
    public const string AdminKey = "ops";

    public static string Tenant(int index) => $"t{index}";

    public static string Marker(int index) => $"MK-{Tenant(index)}-91c";

    /// <summary>Writes the project into <paramref name="directory"/>, loads its rows and builds it; returns the environment holding the keys (and the warehouse URL).</summary>
    public static async Task<Dictionary<string, string>> PrepareAsync(PipelineWorld world, string directory)
    {
        var environment = new Dictionary<string, string>(world.Cli.Environment, StringComparer.Ordinal);
        for (var i = 0; i < Tenants; i++)
        {
            environment[KeyVariable(Tenant(i))] = NewKey();
        }

        environment[KeyVariable(AdminKey)] = NewKey();
        var warehouse = "  type: duckdb\n  path: warehouse.duckdb";
        if (world.WarehouseServer is { } server)
        {
            environment["CHAOS_TENANT_URL"] = await server.CreateDatabaseAsync("tenants");
            warehouse = "  type: postgres\n  url: ${CHAOS_TENANT_URL}";
        }

        Write(directory, "sluice.yml", $$"""
            name: tenants
            warehouse:
            {{warehouse}}
            serve:
              rate: {per_second: 1000000, burst: 1000000}
              health_per_minute: 1000000
              budget: {daily: 100000000}
              api_keys:
            {{string.Concat(Enumerable.Range(0, Tenants).Select(i => $"    - name: {Tenant(i)}\n      env: {KeyVariable(Tenant(i))}\n      tenant: {Tenant(i)}\n"))}}    - name: {{AdminKey}}
                  env: {{KeyVariable(AdminKey)}}
                  admin: true
            """);
        Write(directory, "models/sources.yml", "version: 2\nsources:\n  - name: app\n    schema: raw\n    tables: [{name: orders}, {name: tenants}, {name: events}]\n");
        Write(directory, "models/fct_orders.sql", """
            {{ config(materialized='table', rollups=[{'grain': 'day', 'time': 'created_at', 'dimensions': ['status', 'tenant_id'], 'measures': ['amount']}]) }}
            select id, tenant_id, customer, status, amount, created_at, note from {{ source('app', 'orders') }}
            """);
        Write(directory, "models/dim_tenant.sql", "{{ config(materialized='table') }}\nselect tenant_id, segment, region from {{ source('app', 'tenants') }}\n");
        Write(directory, "models/dim_customer.sql", """
            {{ config(materialized='table') }}
            select distinct tenant_id, customer, case when length(customer) % 2 = 0 then 'gold' else 'silver' end as tier
            from {{ source('app', 'orders') }}
            """);
        Write(directory, "models/fct_events.sql", "{{ config(materialized='view') }}\nselect user_id, tenant_id, step, occurred_at, channel from {{ source('app', 'events') }}\n");
        Write(directory, "metrics.yml", """
            tenant: {column: tenant_id}
            metrics:
              - name: revenue
                model: fct_orders
                time: created_at
                measure: {agg: sum, expr: amount}
                dimensions: [status, customer, tenant_id]
              - name: orders
                model: fct_orders
                time: created_at
                measure: {agg: count}
                dimensions: [status]
              - name: order_value
                model: fct_orders
                time: created_at
                measure: {agg: avg, expr: amount}
                dimensions: [status, customer, tenant_id]
              - name: p90_value
                model: fct_orders
                time: created_at
                measure: {agg: percentile, expr: amount, p: 0.9}
            funnels:
              - name: journey
                model: fct_events
                entity: user_id
                time: occurred_at
                step: {column: step, values: [visit, signup, purchase]}
                window: 14d
                dimensions: [channel]
            benchmarks:
              - name: value_vs_segment
                metric: order_value
                entity: tenant_id
                peer_groups: {segment: "ref('dim_tenant').segment", region: "ref('dim_tenant').region"}
              - name: value_across_tenants
                metric: order_value
                entity: tenant_id
                peer_groups: {segment: "ref('dim_tenant').segment"}
                peers: cross_tenant
              - name: customer_vs_tier
                metric: order_value
                entity: customer
                peer_groups: {tier: "ref('dim_customer').tier"}
            expose:
              - model: fct_orders
                filters: [customer, status, created: {column: created_at, range: true}]
            """);

        var project = ProjectLoader.Load(directory, name => environment.GetValueOrDefault(name));
        await using (var store = WarehouseFactory.Create(project.Warehouse, project.Directory))
        await using (var session = await store.OpenSessionAsync())
        {
            await LoadAsync(session);
        }

        var build = await new SluiceCli(world.Cli.Dll, environment).RunAsync(directory, ["build"]);
        return build.ExitCode == 0 ? environment : throw new InvalidOperationException($"The tenant project did not build:\n{build.Output}");
    }

    /// <summary>The variable holding the key named <paramref name="name"/>.</summary>
    public static string KeyVariable(string name) => $"CHAOS_KEY_{name.ToUpperInvariant()}";

    /// <summary>A customer of tenant <paramref name="tenant"/>.</summary>
    public static string Customer(int tenant, int index) => $"c{index}-{Marker(tenant)}";

    private static async Task LoadAsync(IWarehouseSession session)
    {
        var today = DateTime.UtcNow.Date;
        string[] statuses = ["open", "paid", "refunded"];
        await session.CreateSchemaAsync("raw");
        await LoadAsync(session, "orders", [("id", ColumnType.BigInt), ("tenant_id", ColumnType.Text), ("customer", ColumnType.Text), ("status", ColumnType.Text), ("amount", ColumnType.Double), ("created_at", ColumnType.Timestamp), ("note", ColumnType.Text)],
            Enumerable.Range(0, 3000).Select(i => new object?[] { (long)i + 1, Tenant(i % Tenants), Customer(i % Tenants, i / Tenants % 9), statuses[i * 7 % 3], i * 7919 % 1000 / 10.0, today.AddDays(-(i * 37 % 60) - 1).AddMinutes(i * 13 % 1440), $"{Marker(i % Tenants)} order {i}" }));
        await LoadAsync(session, "tenants", [("tenant_id", ColumnType.Text), ("segment", ColumnType.Text), ("region", ColumnType.Text)],
            Enumerable.Range(0, Tenants).Select(i => new object?[] { Tenant(i), i % 2 == 0 ? "retail" : "b2b", i % 3 == 0 ? "eu" : "us" }));
        string[] steps = ["visit", "signup", "purchase"];
        await LoadAsync(session, "events", [("user_id", ColumnType.Text), ("tenant_id", ColumnType.Text), ("step", ColumnType.Text), ("occurred_at", ColumnType.Timestamp), ("channel", ColumnType.Text)],
            Enumerable.Range(0, 1200).Select(i => new object?[] { $"u{i / 3}-{Marker(i / 3 % Tenants)}", Tenant(i / 3 % Tenants), steps[i % 3], today.AddDays(-(i / 3 % 50) - 1).AddHours(i % 3 * 5), i % 2 == 0 ? "web" : "app" })
                .Where((_, i) => i % 3 == 0 || i / 3 % 4 != 0));
    }

    private static async Task LoadAsync(IWarehouseSession session, string name, (string Name, ColumnType Type)[] columns, IEnumerable<object?[]> rows)
    {
        var table = new TableName("raw", name);
        await session.CreateTableAsync(table, [.. columns.Select(c => new ColumnSpec(c.Name, c.Type))]);
        await session.BulkLoadAsync(table, [.. columns.Select(c => c.Name)], rows.ToAsyncEnumerable());
    }

    private static string NewKey() => "sk-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(20));

    private static void Write(string directory, string path, string text)
    {
        var full = Path.Combine(directory, path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, text.ReplaceLineEndings("\n") + "\n");
    }
}
