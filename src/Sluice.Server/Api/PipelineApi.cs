using System.Data.Common;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Sluice.Core.Graph;
using Sluice.Models.State;
using Sluice.Server.Access;
using Sluice.Server.Cache;
using Sluice.Server.Catalog;
using Sluice.Server.Http;
using Sluice.Server.Queries;
using Sluice.Warehouses.Metadata;

namespace Sluice.Server.Api;

/// <summary>A page of history rows from <c>_sluice</c>, newest first.</summary>
/// <param name="Items">The rows, each column by name.</param>
/// <param name="Limit">Rows asked for.</param>
/// <param name="Offset">Rows skipped.</param>
/// <param name="Total">Rows matching the filters in all.</param>
public sealed record HistoryPage(IReadOnlyList<IReadOnlyDictionary<string, object?>> Items, int Limit, int Offset, long Total);

/// <summary>How many rows a served relation holds (for a tenant key, its tenant's rows).</summary>
/// <param name="Relation">The model or source.</param>
/// <param name="Rows">Its rows.</param>
public sealed record RelationCount(string Relation, long Rows);

/// <summary>
/// The pipeline's state from <c>_sluice</c>: job runs, check results, sync runs and the status
/// summary (admin keys), and row counts of what is served (any key, scoped to its tenant).
/// </summary>
internal static class PipelineApi
{
    private const int MaxLimit = 500;

    // The statuses each history table holds: a status filter outside them is a misspelling
    // (`status=passed`), refused rather than answered with an empty page.
    private static readonly string[] RunStatuses = [.. Enum.GetNames<JobStatus>().Select(s => s.ToLowerInvariant())];
    private static readonly string[] CheckStatuses = ["pass", "warn", "fail", "error", "skipped"];
    private static readonly string[] SyncStatuses = ["running", "success", "failed", "interrupted"];

    public static RouteGroupBuilder MapPipelineApi(this RouteGroupBuilder api)
    {
        api.MapGet("/runs", RunsAsync).RequireAdminKey().WithName("runs").ReadsWarehouse()
            .WithQuery(ParameterDocs.History(MaxLimit, new QueryParameter("job", "A job: a model, seed or snapshot name."), new QueryParameter("status", $"A run status, in any case: {string.Join(", ", RunStatuses)}.")))
            .WithSummary("Job runs (models, partitions, seeds, snapshots), newest first; filter by job and status. A partition's run that a full refresh superseded keeps its status and names that refresh's invocation in superseded_by; a SKIPPED run says why in skip_reason: UPSTREAM (something it depends on failed) or ALREADY_BUILT (its partition was built before).");
        api.MapGet("/checks", ChecksAsync).RequireAdminKey().WithName("checks").ReadsWarehouse()
            .WithQuery(ParameterDocs.History(MaxLimit, new QueryParameter("check", "A check's name."), new QueryParameter("model", "The model or source checked."), new QueryParameter("status", $"A check status, in any case: {string.Join(", ", CheckStatuses)}.")))
            .WithSummary("Check results, newest first; filter by check, model and status.");
        api.MapGet("/sync", SyncAsync).RequireAdminKey().WithName("sync").ReadsWarehouse()
            .WithQuery(ParameterDocs.History(MaxLimit, new QueryParameter("source", "A source's name."), new QueryParameter("table", "A source table."), new QueryParameter("status", $"A sync status, in any case: {string.Join(", ", SyncStatuses)}.")))
            .WithSummary("Sync runs per source table, newest first; filter by source, table and status.");
        api.MapGet("/parity", ParityAsync).RequireAdminKey().WithName("parity").ReadsWarehouse()
            .WithQuery(ParameterDocs.History(MaxLimit, new QueryParameter("source", "A source's name."), new QueryParameter("table", "A source table.")))
            .WithSummary("Parity checks of synced tables against their source, per table and per day (day null for the table's total), newest first.");
        api.MapGet("/budgets", BudgetsAsync).RequireAdminKey().WithName("budgets").ReadsWarehouse()
            .WithQuery(ParameterDocs.History(MaxLimit, new QueryParameter("subject", "A tenant, or an admin key with a budget.")))
            .WithSummary("Query budget use per tenant (or keyed subject), per day and month, newest period first.");
        api.MapGet("/status", StatusAsync).RequireAdminKey().WithName("status").ReadsWarehouse()
            .WithQuery(QueryParameter.Number("days", "Days of history, 1 to 366 (default 7)."))
            .WithSummary("Recent invocations and failures, and each resource's latest run, last success and missing partitions.");
        api.MapGet("/meta/counts", CountsAsync).WithName("counts").ReadsWarehouse()
            .WithSummary("Rows in each served model or source; a tenant key counts its tenant's rows.");
        return api;
    }

    private static Task<Ok<HistoryPage>> RunsAsync(HttpContext context, QueryRunner runner, CancellationToken cancellationToken) =>
        PageAsync(context, runner, "job_runs", "started_at",
            "id, invocation_id, job_name, kind, target_date, status, rows_processed, rows_inserted, rows_updated, rows_deleted, duration_ms, error_message, started_at, completed_at, superseded_by, skip_reason",
            [("job", "job_name"), ("status", "status")], RunStatuses, cancellationToken);

    private static Task<Ok<HistoryPage>> ChecksAsync(HttpContext context, QueryRunner runner, CancellationToken cancellationToken) =>
        PageAsync(context, runner, "check_results", "checked_at",
            "run_id, check_name, check_type, model, column_name, severity, status, failing_rows, rows_in_scope, failing_ratio, mostly, message, sample, scope, location, duration_ms, checked_at",
            [("check", "check_name"), ("model", "model"), ("status", "status")], CheckStatuses, cancellationToken);

    private static Task<Ok<HistoryPage>> SyncAsync(HttpContext context, QueryRunner runner, CancellationToken cancellationToken) =>
        PageAsync(context, runner, "sync_runs", "started_at",
            "run_id, source, table_name, mode, status, started_at, completed_at, rows_read, rows_upserted, rows_deleted, bytes, watermark_before, watermark_after, error",
            [("source", "source"), ("table", "table_name"), ("status", "status")], SyncStatuses, cancellationToken);

    private static Task<Ok<HistoryPage>> ParityAsync(HttpContext context, QueryRunner runner, CancellationToken cancellationToken) =>
        PageAsync(context, runner, "parity_checks", "checked_at",
            "checked_at, source, table_name, day, source_count, warehouse_count, mismatches, mismatch_ratio",
            [("source", "source"), ("table", "table_name")], [], cancellationToken);

    private static Task<Ok<HistoryPage>> BudgetsAsync(HttpContext context, QueryRunner runner, QueryBudgets budgets, CancellationToken cancellationToken) =>
        budgets.InRedis is { } redis
            ? RedisBudgetsAsync(context, redis)
            : PageAsync(context, runner, "query_budgets", "period_start",
                "subject, period, period_start, query_limit, queries_used, updated_at",
                [("subject", "subject")], [], cancellationToken);

    // The same page, with the same parameters and fields, from the counts in the shared Redis.
    private static async Task<Ok<HistoryPage>> RedisBudgetsAsync(HttpContext context, RedisPermits redis)
    {
        var query = new RequestParameters(context.Request.Query);
        var limit = query.Int("limit", 50, 1, MaxLimit);
        var offset = query.Int("offset", 0, 0, 10_000_000);
        var since = query.Date("since");
        var subject = query.Text("subject");
        query.RejectUnknown();
        IReadOnlyList<BudgetUse> uses;
        try
        {
            uses = await redis.ListAsync();
        }
        catch (RedisUnavailableException e)
        {
            throw new ApiProblem(
                StatusCodes.Status503ServiceUnavailable,
                $"The query budgets are counted in Redis (serve.cache), which does not answer: {e.Message}; retry in {Math.Max(1, (long)Math.Ceiling(e.RetryAfter.TotalSeconds))} s.");
        }

        var chosen = uses
            .Where(u => (subject is null || u.Subject == subject) && (since is null || u.PeriodStart >= since))
            .OrderByDescending(u => u.PeriodStart).ThenBy(u => u.Subject, StringComparer.Ordinal).ThenBy(u => u.Period, StringComparer.Ordinal)
            .ToList();
        var items = chosen.Skip(offset).Take(limit).Select(u => (IReadOnlyDictionary<string, object?>)new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["subject"] = u.Subject,
            ["period"] = u.Period,
            ["period_start"] = ApiValues.From(u.PeriodStart),
            ["query_limit"] = u.Limit,
            ["queries_used"] = u.Used,
            ["updated_at"] = u.UpdatedAt is { } at ? ApiValues.From(at) : null,
        }).ToList();
        return TypedResults.Ok(new HistoryPage(items, limit, offset, chosen.Count));
    }

    // Filters compare whole values; the status filter matches in any case (job runs write SUCCESS, syncs success).
    private static async Task<Ok<HistoryPage>> PageAsync(
        HttpContext context, QueryRunner runner, string table, string newest, string columns, (string Parameter, string Column)[] filters, string[] statuses, CancellationToken cancellationToken)
    {
        var query = new RequestParameters(context.Request.Query);
        var limit = query.Int("limit", 50, 1, MaxLimit);
        var offset = query.Int("offset", 0, 0, 10_000_000);
        var since = query.Date("since");
        var parameters = new SqlParameters();
        var conditions = new List<string>();
        foreach (var (parameter, column) in filters)
        {
            if (query.Text(parameter) is { } value)
            {
                if (parameter == "status" && !statuses.Contains(value, StringComparer.OrdinalIgnoreCase))
                {
                    throw ApiProblem.BadParameter(parameter, $"'status' must be one of {string.Join(", ", statuses)} (in any case), not '{RequestParameters.Shown(value)}'.");
                }

                conditions.Add(parameter == "status" ? $"lower({column}) = lower({parameters.Add(value)})" : $"{column} = {parameters.Add(value)}");
            }
        }

        if (since is { } day)
        {
            conditions.Add($"{newest} >= {parameters.Add(new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero))}");
        }

        query.RejectUnknown();
        var where = conditions.Count == 0 ? string.Empty : $"where {string.Join(" and ", conditions)}";
        // Where the engine has window functions the page's rows carry the count of all; elsewhere
        // a second query counts them.
        var counted = runner.Warehouse.Capabilities.WindowFunctions;
        var sql = $"""
            select {columns}{(counted ? ", count(*) over () as total_rows" : "")}
            from {runner.Dialect.Quote(MetadataSchema.Name)}.{table}
            {where}
            order by {newest} desc
            limit {limit} offset {offset}
            """;
        var ((items, total), _) = await runner.RunAsync(sql, parameters.Values, (reader, token) => ReadPageAsync(reader, counted, token), cancellationToken);
        if (!counted || (items.Count == 0 && offset > 0))
        {
            total = await runner.CountAsync($"select count(*) from {runner.Dialect.Quote(MetadataSchema.Name)}.{table} {where}", parameters.Values, cancellationToken);
        }

        return TypedResults.Ok(new HistoryPage(items, limit, offset, total));
    }

    private static async Task<(List<IReadOnlyDictionary<string, object?>> Items, long Total)> ReadPageAsync(DbDataReader reader, bool counted, CancellationToken cancellationToken)
    {
        var items = new List<IReadOnlyDictionary<string, object?>>();
        long total = 0;
        var width = counted ? reader.FieldCount - 1 : reader.FieldCount;
        while (await reader.ReadAsync(cancellationToken))
        {
            var item = new Dictionary<string, object?>(width, StringComparer.Ordinal);
            for (var i = 0; i < width; i++)
            {
                item[reader.GetName(i)] = ApiValues.From(reader.GetValue(i));
            }

            items.Add(item);
            total = counted ? QueryRunner.Long(reader, width) : 0;
        }

        return (items, total);
    }

    private static async Task<Ok<StatusReport>> StatusAsync(HttpContext context, QueryRunner runner, ServedCatalog catalog, TimeProvider clock, CancellationToken cancellationToken)
    {
        var query = new RequestParameters(context.Request.Query);
        var days = query.Int("days", 7, 1, 366);
        query.RejectUnknown();
        var now = clock.GetUtcNow();
        var today = MetricsApi.Today(clock);
        var project = catalog.Project;
        var everything = NodeSelector.Select(project.Graph, [], []);
        return TypedResults.Ok(await runner.Warehouse.ReadAsync(
            (session, token) => RunHistory.ReadAsync(session, project, everything, now.AddDays(-days), today.AddDays(-days), today.AddDays(-1), token),
            cancellationToken));
    }

    private static async Task<Ok<RelationCount[]>> CountsAsync(HttpContext context, QueryRunner runner, ServedCatalog catalog, CancellationToken cancellationToken)
    {
        new RequestParameters(context.Request.Query).RejectUnknown();
        var tenant = Caller.Of(context).Tenant;
        var counts = new List<RelationCount>();
        foreach (var relation in catalog.Relations.OrderBy(r => r.Reference.DisplayName, StringComparer.Ordinal))
        {
            var parameters = new SqlParameters();
            var condition = QueryScope.TenantCondition(runner.Dialect, relation.Tenant, tenant, parameters);
            var sql = $"select count(*) from {runner.Dialect.Quote(relation.Table)}{(condition is null ? string.Empty : $" where {condition}")}";
            counts.Add(new RelationCount(relation.Reference.DisplayName, await runner.CountAsync(sql, parameters.Values, cancellationToken)));
        }

        return TypedResults.Ok(counts.ToArray());
    }
}
