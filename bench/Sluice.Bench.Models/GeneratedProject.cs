using System.Globalization;
using System.Text;

namespace Sluice.Bench;

/// <summary>
/// Writes the benchmarks' Sluice projects: a DAG of small models shaped like real projects
/// (chains, fan-outs, tags, property files), and a daily mart over a large fact table.
/// </summary>
internal static class GeneratedProject
{
    /// <summary>Models without parents; every other model reads one of them besides its chain parent.</summary>
    public const int Roots = 40;

    /// <summary>How many models follow one another before a chain starts again from a root.</summary>
    public const int ChainLength = 10;

    private const int ModelsPerFolder = 100;

    /// <summary>
    /// A project of <paramref name="models"/> models: <see cref="Roots"/> root tables of a few
    /// hundred rows, then chains of <see cref="ChainLength"/> where each model joins its
    /// predecessor with a root (a fan-out from every root). Every third model is a table, the rest
    /// views; each folder has a property file describing its models and columns. Models call the
    /// project's macros (a loop, a dispatched macro, one that returns a value) and dbt's, as real
    /// projects do, so that parsing pays for rendering them.
    /// </summary>
    public static void WriteDag(string directory, int models)
    {
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "sluice.yml"), """
            name: dag
            vars:
              rows: 300
              min_k: 0
            models:
              +materialized: view
            """);
        Directory.CreateDirectory(Path.Combine(directory, "macros"));
        File.WriteAllText(Path.Combine(directory, "macros", "generated.sql"), """
            {% macro select_columns(columns, alias) -%}
                {%- for c in columns %}{{ alias }}.{{ c }}{{ ', ' if not loop.last }}{% endfor -%}
            {%- endmacro %}

            {% macro add_amounts(left, right) -%}
                {{ return(adapter.dispatch('add_amounts', 'dag')(left, right)) }}
            {%- endmacro %}

            {% macro default__add_amounts(left, right) %}{{ left }} + {{ right }}{% endmacro %}

            {% macro min_k_filter(column) -%}
                {%- set bound = var('min_k', 0) -%}
                {%- if bound >= 0 %}where {{ column }} >= {{ dbt.cast(bound, dbt.type_int()) }}{% endif -%}
            {%- endmacro %}
            """);
        for (var folder = 0; folder * ModelsPerFolder < models; folder++)
        {
            var path = Path.Combine(directory, "models", $"layer_{folder:00}");
            Directory.CreateDirectory(path);
            var properties = new StringBuilder("version: 2\nmodels:\n");
            for (var i = folder * ModelsPerFolder; i < Math.Min(models, (folder + 1) * ModelsPerFolder); i++)
            {
                File.WriteAllText(Path.Combine(path, $"{Name(i)}.sql"), Sql(i));
                properties.Append(CultureInfo.InvariantCulture, $"  - name: {Name(i)}\n    description: Generated model {i}, {(IsTable(i) ? "a table" : "a view")}.\n    columns:\n      - name: id\n        description: The row's key.\n      - name: amount\n        description: A running amount.\n");
            }

            File.WriteAllText(Path.Combine(path, "schema.yml"), properties.ToString());
        }
    }

    /// <summary>The name of model <paramref name="index"/>.</summary>
    public static string Name(int index) => $"m_{index:0000}";

    private static bool IsTable(int index) => index < Roots || index % 3 == 0;

    private static string Sql(int index)
    {
        var config = IsTable(index)
            ? $"{{{{ config(materialized='table', tags=['layer_{index / ModelsPerFolder}', 'tables']) }}}}\n"
            : $"{{{{ config(tags=['layer_{index / ModelsPerFolder}']) }}}}\n";
        if (index < Roots)
        {
            return config + $"select r as id, r % 13 as k, r * {index + 1}.5 as amount from range(0, {{{{ var('rows') }}}}) as t(r)\n";
        }

        var previous = index % ChainLength == 0 ? index % Roots : index - 1;
        var root = (index * 7) % Roots;
        return config + $$$"""
            select {{ select_columns(['id', 'k'], 'a') }}, {{ add_amounts('a.amount', 'b.amount') }} as amount
            from {{ ref('{{{Name(previous)}}}') }} as a
            join {{ ref('{{{Name(root)}}}') }} as b using (id)
            {{ min_k_filter('a.k') }}

            """;
    }

    /// <summary>
    /// A project with one daily-partitioned mart over <c>raw.events</c> (which the caller
    /// creates), grouped by day and customer segment.
    /// </summary>
    public static void WriteBackfill(string directory)
    {
        Directory.CreateDirectory(Path.Combine(directory, "models"));
        File.WriteAllText(Path.Combine(directory, "sluice.yml"), "name: backfill\n");
        File.WriteAllText(Path.Combine(directory, "models", "fct_daily_segments.sql"), """
            {{ config(materialized='incremental', partition_by='d', grain='day') }}
            select d, customer_id % 10 as segment, count(*) as events, count(distinct customer_id) as customers, sum(amount) as amount
            from raw.events
            where d >= '{{ partition_start }}' and d < '{{ partition_end }}'
            group by d, customer_id % 10

            """);
    }
}
