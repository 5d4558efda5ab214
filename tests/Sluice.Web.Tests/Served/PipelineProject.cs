using System.Globalization;
using System.Text;

namespace Sluice.Web.Tests.Served;

/// <summary>
/// The files of a small shop whose pipeline leaves history worth showing: orders synced twice
/// (with parity per day), a partitioned model one of whose days fails with <see cref="PlantedError"/>,
/// and checks that fail on the planted <see cref="PlantedStatus"/> and warn on a missing amount.
/// Written as text here, since the days are relative to the day the tests run.
/// </summary>
public static class PipelineProject
{
    /// <summary>The status two orders carry that the status check does not accept.</summary>
    public const string PlantedStatus = "lost-in-transit";

    /// <summary>The text the failing partition raises.</summary>
    public const string PlantedError = "planted failure: the carrier feed of this day is missing";

    /// <summary>Days of orders, ending the day before today.</summary>
    public const int Days = 10;

    /// <summary>Orders each day.</summary>
    public const int PerDay = 6;

    public const string ChecksYaml = """
        version: 2
        sources:
          - name: shop
            tables:
              - name: orders
        models:
          - name: fct_orders
            columns:
              - name: id
                tests:
                  - unique: {name: order_id_unique}
              - name: status
                tests:
                  - accepted_values: {values: [placed, shipped], name: order_status_known}
              - name: amount
                tests:
                  - not_null: {severity: warn, name: order_amount_present}
        """;

    private const string ProjectYaml = """
        # Written by the browser tests (PipelineProject.cs).
        name: pipeline
        warehouse:
          type: duckdb
          path: warehouse.duckdb
        sources:
          - name: shop
            type: csv
            tables:
              - name: orders
                path: data/orders.csv
                columns: {id: bigint, ordered_at: timestamp, status: text, amount: double}
                primary_key: [id]
                parity: {date_column: ordered_at}
        """;

    /// <summary>The day whose partition of daily_orders fails.</summary>
    public static DateOnly FailingDay(DateOnly today) => today.AddDays(-3);

    /// <summary>Writes the project into <paramref name="directory"/> with orders of the days before <paramref name="lastDay"/> (inclusive).</summary>
    public static void Write(string directory, DateOnly today, DateOnly lastDay)
    {
        Directory.CreateDirectory(Path.Combine(directory, "models"));
        File.WriteAllText(Path.Combine(directory, "sluice.yml"), ProjectYaml);
        File.WriteAllText(Path.Combine(directory, "models", "schema.yml"), ChecksYaml);
        File.WriteAllText(Path.Combine(directory, "models", "fct_orders.sql"), """
            {{ config(materialized='table') }}
            select id, ordered_at, status, amount, cast(ordered_at as date) as d
            from {{ source('shop', 'orders') }}
            """);
        // The failing day raises an error from the warehouse itself, as a broken query would.
        var failing = FailingDay(today).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        File.WriteAllText(Path.Combine(directory, "models", "daily_orders.sql"), $$$"""
            {{ config(materialized='incremental', partition_by='d') }}
            select d, cast(count(*) as bigint) as orders, sum(amount) as revenue
            from {{ ref('fct_orders') }}
            where d >= cast('{{ partition_start }}' as date) and d < cast('{{ partition_end }}' as date)
              and (case when '{{ partition_start }}' = '{{{failing}}}' then error('{{{PlantedError}}}') else true end)
            group by d
            """);
        WriteOrders(directory, today, lastDay);
    }

    /// <summary>Writes data/orders.csv with the orders of the <see cref="Days"/> days before today up to <paramref name="lastDay"/>.</summary>
    public static void WriteOrders(string directory, DateOnly today, DateOnly lastDay)
    {
        var text = new StringBuilder("id,ordered_at,status,amount\n");
        var id = 0;
        for (var day = today.AddDays(-Days); day <= lastDay; day = day.AddDays(1))
        {
            for (var i = 0; i < PerDay; i++)
            {
                id++;
                var status = id is 5 or 23 ? PlantedStatus : id % 2 == 0 ? "placed" : "shipped";
                var amount = id == 11 ? string.Empty : (10 + (id % 7)).ToString(CultureInfo.InvariantCulture);
                text.Append(CultureInfo.InvariantCulture, $"{id},{day:yyyy-MM-dd} {8 + i:D2}:15:00,{status},{amount}\n");
            }
        }

        Directory.CreateDirectory(Path.Combine(directory, "data"));
        File.WriteAllText(Path.Combine(directory, "data", "orders.csv"), text.ToString());
    }
}
