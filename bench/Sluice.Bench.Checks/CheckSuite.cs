using System.Globalization;
using System.Text;

namespace Sluice.Bench;

/// <summary>
/// The benchmark's data and checks: <c>raw.events</c> with a known share of defects in some
/// columns, its two parent tables, and fifty checks of every type over it as a schema.yml.
/// </summary>
internal static class CheckSuite
{
    public const int Customers = 100_000;
    public const int Products = 1_000;

    /// <summary>
    /// SQL that creates the tables; events get one defect in a thousand rows in status, amount and
    /// email. There are no more customers than events (every event's customer exists either way),
    /// so that a small case is small throughout.
    /// </summary>
    public static string CreateTables(long rows) => $"""
        create schema if not exists raw;
        create or replace table raw.customers as select i as customer_id, 'customer ' || i as name from range({Math.Min(Customers, rows)}) t(i);
        create or replace table raw.products as select i as product_id, 'product ' || i as title from range({Products}) t(i);
        create or replace table raw.events as
        select i * {IdStride(rows)} as id,
               date '2024-01-01' + cast(i % 365 as integer) as day,
               i % {Customers} as customer_id,
               (i * 7) % {Products} as product_id,
               case when i % 1000 = 17 then -1.0 else round((i % 10000) / 100.0, 2) end as amount,
               cast(1 + i % 9 as integer) as quantity,
               round((i % 30) / 100.0, 2) as discount,
               cast(i % 101 as integer) as score,
               case when i % 1000 = 3 then 'unknown' else ['placed', 'shipped', 'returned', 'cancelled'][1 + cast(i % 4 as integer)] end as status,
               ['retail', 'wholesale', 'online'][1 + cast(i % 3 as integer)] as segment,
               ['web', 'app', 'store', 'phone'][1 + cast(i % 4 as integer)] as channel,
               ['EUR', 'USD'][1 + cast(i % 2 as integer)] as currency,
               'C' || lpad(cast(i % 100000 as varchar), 5, '0') as code,
               case when i % 1000 = 5 then 'nobody' else 'user' || (i % 50000) || '@example.com' end as email,
               timestamp '2024-01-01 00:00:00' + to_seconds(i % 31536000) as updated_at
        from range({rows}) t(i);
        """;

    // Ids spread over the ten million of the large case at every size, as the recent rows of a
    // long-lived table's ids are: a check's cost must follow the rows it reads, not the ids' range.
    private static long IdStride(long rows) => Math.Max(1, CheckBenchOptions.DefaultRows / rows);

    /// <summary>The checks, as a property file declaring the tables as a source.</summary>
    public static string SchemaYml()
    {
        var columns = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        void Add(string column, string check) => (columns.TryGetValue(column, out var list) ? list : columns[column] = []).Add(check);

        foreach (var column in new[] { "id", "day", "customer_id", "product_id", "amount", "quantity", "discount", "score", "status", "segment", "channel", "currency", "code", "email", "updated_at" })
        {
            Add(column, "not_null");
        }

        Add("id", "unique");
        Add("status", "accepted_values: {values: [placed, shipped, returned, cancelled], mostly: 0.99}");
        Add("status", "accepted_values: {values: [placed, shipped, returned, cancelled], name: status_strict, severity: warn}");
        Add("segment", "accepted_values: {values: [retail, wholesale, online]}");
        Add("channel", "accepted_values: {values: [web, app, store, phone]}");
        Add("currency", "accepted_values: {values: [EUR, USD]}");
        Add("amount", "accepted_range: {min_value: 0, max_value: 100, mostly: 0.99}");
        Add("quantity", "accepted_range: {min_value: 1, max_value: 9}");
        Add("discount", "accepted_range: {min_value: 0, max_value: 0.5}");
        Add("score", "accepted_range: {min_value: 0, max_value: 100}");
        Add("day", "accepted_range: {min_value: '2024-01-01', max_value: '2024-12-31'}");
        Add("updated_at", "accepted_range: {min_value: '2024-01-01 00:00:00', max_value: '2025-01-01 00:00:00'}");
        Add("code", "regex: {pattern: '^C[0-9]{5}$'}");
        Add("currency", "regex: {pattern: '^[A-Z]{3}$'}");
        Add("quantity", "accepted_values: {values: [1, 2, 3, 4, 5, 6, 7, 8, 9], quote: false}");
        Add("customer_id", "accepted_range: {min_value: 0, max_value: 99999}");
        Add("email", "regex: {pattern: '@', mostly: 0.99}");
        Add("customer_id", "relationships: {to: \"source('raw', 'customers')\", field: customer_id}");
        Add("product_id", "relationships: {to: \"source('raw', 'products')\", field: product_id}");
        Add("amount", "expression_is_true: {expression: '< 1000'}");
        Add("quantity", "expression_is_true: {expression: '> 0'}");
        Add("updated_at", "freshness: {warn_after: 1000d}");
        Add("status", "not_null: {where: \"channel = 'web'\", name: status_on_web}");
        Add("amount", "not_null: {where: \"channel = 'web'\", name: amount_on_web}");
        Add("email", "accepted_values: {values: [a], where: \"channel = 'web' and 1 = 0\", name: email_none_on_web}");

        var table = new List<string>
        {
            "not_empty",
            "row_count: {min: 1}",
            "unique_combination_of_columns: {combination_of_columns: [id, day]}",
            "expression_is_true: {expression: 'quantity * amount >= -9', name: line_total}",
            "expression_is_true: {expression: 'discount < 1', name: discount_below_one}",
            "expression_is_true: {expression: \"day <= cast(updated_at as date) + 365\", name: day_near_update}",
            "expression_is_true: {expression: \"currency in ('EUR', 'USD') or channel = 'store'\", name: currency_or_store}",
            "expression_is_true: {expression: 'score between 0 and 100', name: score_between}",
            "expression_is_true: {expression: 'customer_id >= 0 and product_id >= 0', name: ids_positive}",
            "expression_is_true: {expression: \"length(code) = 6\", name: code_length}",
        };

        var yaml = new StringBuilder("version: 2\nsources:\n  - name: raw\n    schema: raw\n    tables:\n      - name: customers\n      - name: products\n      - name: events\n        tests:\n");
        foreach (var check in table)
        {
            yaml.Append(CultureInfo.InvariantCulture, $"          - {check}\n");
        }

        yaml.Append("        columns:\n");
        foreach (var (column, checks) in columns)
        {
            yaml.Append(CultureInfo.InvariantCulture, $"          - name: {column}\n            tests:\n");
            foreach (var check in checks)
            {
                yaml.Append(CultureInfo.InvariantCulture, $"              - {check}\n");
            }
        }

        return yaml.ToString();
    }
}
