using Sluice.Core.Graph;
using Sluice.Core.Models;
using Sluice.Core.Project;

namespace Sluice.Operate.Export;

/// <summary>
/// Turns the selected resources into an <see cref="ExportPlan"/>: one target per model with a
/// table or view, its file, and its key — the partition column (<c>partition_by</c>) followed by
/// the <c>unique_key</c> columns; a snapshot's key is its version id. A model with no key is
/// planned as refused rather than given ids that would change from one export to the next.
/// </summary>
public static class ExportPlanner
{
    /// <summary>Plans the export of <paramref name="selected"/>; throws a <see cref="ConfigurationException"/> when none of them has rows to export.</summary>
    public static ExportPlan Plan(ParsedProject project, IEnumerable<string> selected, ExportRequest request)
    {
        var targets = new List<ExportTarget>();
        var skipped = new List<SkippedModel>();
        foreach (var name in selected.Order(StringComparer.Ordinal))
        {
            var model = project.Nodes[name];
            if (model.Config.Materialized == Materialization.Ephemeral)
            {
                skipped.Add(new SkippedModel(name, "ephemeral models have no table or view; their SQL is inlined where they are used"));
                continue;
            }

            targets.Add(Target(project, model, request));
        }

        if (targets.Count == 0)
        {
            throw new ConfigurationException(
                $"the selection holds no model with a table or view to export ({string.Join("; ", skipped.Select(s => $"{s.Name}: {s.Reason}"))}); select models that are materialized as tables, incremental tables or views.");
        }

        return new ExportPlan(targets, skipped);
    }

    private static ExportTarget Target(ParsedProject project, ModelDefinition model, ExportRequest request)
    {
        var config = model.Config;
        var keys = Keys(project, model);
        var kind = model.Kind.ToString().ToLowerInvariant();
        var target = new ExportTarget(model.Name, model.Kind, model.File, model.Table, $"{model.Name}.{ExportFormats.Name(request.Format)}", keys)
        {
            PartitionColumn = config.PartitionBy,
            PartitionKey = config.PartitionKey,
            Range = config.PartitionBy is null ? null : request.Range,
            Note = request.Range is not null && config.PartitionBy is null
                ? $"{kind} '{model.Name}' is not partitioned, so --from/--to do not apply to it; all its rows are exported"
                : null,
        };
        if (keys.Count > 0)
        {
            return target;
        }

        var where = model.Kind == NodeKind.Model
            ? "to its config() call, or to its folder in sluice.yml (+unique_key: …)"
            : $"for it under {kind}s: in sluice.yml or dbt_project.yml (+unique_key: …)";
        return target with
        {
            Refusal = $"{kind} '{model.Name}' ({model.File}) has no unique_key, so its rows have no stable _id; add unique_key naming the column or columns that identify a row {where}, then export again.",
        };
    }

    // The partition column first: documents of one day sort and group together, as the seed's
    // per-day documents did, and a partitioned model's unique key is often unique only within a day.
    private static IReadOnlyList<string> Keys(ParsedProject project, ModelDefinition model)
    {
        if (model.Kind == NodeKind.Snapshot)
        {
            return [(project.Settings.IsDbt ? SnapshotColumns.Dbt : SnapshotColumns.Sluice).ScdId];
        }

        var keys = new List<string>();
        foreach (var column in (string?[])[model.Config.PartitionBy, .. model.Config.UniqueKey])
        {
            if (column is not null && !keys.Contains(column, StringComparer.OrdinalIgnoreCase))
            {
                keys.Add(column);
            }
        }

        return keys;
    }
}
