using System.Diagnostics;
using Sluice.Core.Checks;
using Sluice.Core.Models;
using Sluice.Core.Project;
using Sluice.Core.Templating;
using Sluice.Core.Warehouse;
using Sluice.Warehouses.Metadata;

namespace Sluice.Checks;

/// <summary>
/// Runs checks and records their results: each check is compiled to SQL, checks of the same
/// relation and scope are measured in one scan, a failing check's sample (up to 20 rows, key
/// and checked columns) is read, failures are stored when asked, and every result is written to
/// <c>_sluice.check_results</c>. A check whose SQL fails is an error of that check only.
/// </summary>
public sealed class CheckRunner(ParsedProject project, IWarehouse warehouse)
{
    /// <summary>Runs <paramref name="checks"/>; one result per check, in their order.</summary>
    public async Task<IReadOnlyList<CheckResult>> RunAsync(IReadOnlyList<CheckDefinition> checks, CheckRunOptions options, ICheckObserver observer, CancellationToken cancellationToken) =>
        checks.Count == 0 ? [] : await RunAsync(await PrepareAsync(checks, options, cancellationToken), observer, cancellationToken);

    /// <summary>
    /// Compiles <paramref name="checks"/> against the warehouse without running them, so that a
    /// command can stop before anything runs when <see cref="PreparedChecks.Problems"/> has any
    /// (a column or relation that does not exist, a bad template).
    /// </summary>
    public async Task<PreparedChecks> PrepareAsync(IReadOnlyList<CheckDefinition> checks, CheckRunOptions options, CancellationToken cancellationToken)
    {
        await using var session = await warehouse.OpenSessionAsync(cancellationToken);
        var compiler = new CheckCompiler(project, warehouse.Dialect, options);
        var prepared = new List<PreparedCheck>();
        foreach (var check in checks)
        {
            var clock = Stopwatch.StartNew();
            try
            {
                prepared.Add(new PreparedCheck(check, await compiler.CompileAsync(session, check, cancellationToken), null, clock.Elapsed));
            }
            catch (Exception e) when (IsCheckError(e))
            {
                prepared.Add(new PreparedCheck(check, null, Error(check, e, null, clock.Elapsed), clock.Elapsed));
            }
        }

        return new PreparedChecks(options, prepared);
    }

    /// <summary>Runs checks prepared by <see cref="PrepareAsync"/>; one result per check, in their order.</summary>
    public async Task<IReadOnlyList<CheckResult>> RunAsync(PreparedChecks prepared, ICheckObserver observer, CancellationToken cancellationToken)
    {
        if (prepared.Checks.Count == 0)
        {
            return [];
        }

        await using var session = await warehouse.OpenSessionAsync(cancellationToken);
        await MetadataSchema.MigrateAsync(session, cancellationToken: cancellationToken);
        var invocation = prepared.Options.InvocationId;
        var results = new CheckResult?[prepared.Checks.Count];
        var plans = new List<(int Index, CheckPlan Plan, TimeSpan Compile)>();
        for (var i = 0; i < prepared.Checks.Count; i++)
        {
            var (_, plan, failure, compile) = prepared.Checks[i];
            if (failure is not null)
            {
                results[i] = failure;
                await CheckResultStore.WriteAsync(session, invocation, failure, DateTimeOffset.UtcNow, cancellationToken);
                observer.Finished(failure);
            }
            else
            {
                plans.Add((i, plan!, compile));
            }
        }

        var batches = await BatchesAsync(session, plans.Select(p => p.Plan).ToList(), cancellationToken);
        await ShareDuplicateSearchesAsync(session, batches, cancellationToken);
        foreach (var (index, plan, compile) in plans)
        {
            var result = await FinishAsync(session, plan, batches.GetValueOrDefault(plan), compile, cancellationToken);
            results[index] = result;
            await CheckResultStore.WriteAsync(session, invocation, result, DateTimeOffset.UtcNow, cancellationToken);
            observer.Finished(result);
        }

        return [.. results.Select(r => r!)];
    }

    /// <summary>The schema where checks with <c>store_failures</c> keep their failing rows, a table per check.</summary>
    public string AuditSchema => AuditSchemaOf(project);

    /// <summary>The audit schema of <paramref name="project"/>: <c>&lt;schema&gt;_audit</c>, or dbt's <c>&lt;schema&gt;_dbt_test__audit</c> in a dbt project.</summary>
    internal static string AuditSchemaOf(ParsedProject project) => project.Target.Schema + (project.Settings.IsDbt ? "_dbt_test__audit" : "_audit");

    private static bool IsCheckError(Exception e) => e is CheckException or ConfigurationException or TemplateException or WarehouseException;

    // One scan per scope: every plan's aggregates, plus the count of rows in scope. A scan that
    // fails is retried plan by plan, so that one bad expression fails its own check only.
    private static async Task<Dictionary<CheckPlan, BatchValues>> BatchesAsync(IWarehouseSession session, List<CheckPlan> plans, CancellationToken cancellationToken)
    {
        var values = new Dictionary<CheckPlan, BatchValues>();
        foreach (var group in plans.Where(p => p.Scope is not null).GroupBy(p => p.Scope!))
        {
            var members = group.ToList();
            try
            {
                await ScanAsync(session, group.Key, members, values, cancellationToken);
            }
            catch (WarehouseException) when (members.Count > 1)
            {
                foreach (var plan in members)
                {
                    try
                    {
                        await ScanAsync(session, group.Key, [plan], values, cancellationToken);
                    }
                    catch (WarehouseException e)
                    {
                        values[plan] = new BatchValues([], null, TimeSpan.Zero, e);
                    }
                }
            }
            catch (WarehouseException e)
            {
                values[members[0]] = new BatchValues([], null, TimeSpan.Zero, e);
            }
        }

        return values;
    }

    // A search for repeated values of one column is shared by the searches of combinations that
    // contain the column in the same scope; a shared query that fails leaves each to its own.
    private static async Task ShareDuplicateSearchesAsync(IWarehouseSession session, Dictionary<CheckPlan, BatchValues> values, CancellationToken cancellationToken)
    {
        var searches = values.Where(v => v.Value.Error is null).Select(v => v.Key).OfType<DuplicatePlan>().ToList();
        var shared = new HashSet<DuplicatePlan>();
        foreach (var single in searches.Where(s => s.IsSingleColumn))
        {
            var combinations = searches
                .Where(s => !s.IsSingleColumn && !shared.Contains(s) && s.Scope == single.Scope && s.Columns.Contains(single.Columns[0], StringComparer.Ordinal))
                .ToList();
            if (combinations.Count == 0)
            {
                continue;
            }

            var clock = Stopwatch.StartNew();
            IReadOnlyList<long> failing;
            try
            {
                failing = await DuplicatePlan.MeasureTogetherAsync(session, single, combinations, values[single].InScope, cancellationToken);
            }
            catch (WarehouseException)
            {
                continue;
            }

            var share = clock.Elapsed / (combinations.Count + 1);
            foreach (var (plan, count) in combinations.Prepend(single).Zip(failing))
            {
                values[plan] = values[plan] with { Values = [count], Share = values[plan].Share + share };
                shared.Add(plan);
            }
        }
    }

    private static async Task ScanAsync(IWarehouseSession session, CheckScope scope, List<CheckPlan> plans, Dictionary<CheckPlan, BatchValues> values, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var aggregates = plans.SelectMany(p => p.Aggregates).Prepend("count(*)").ToList();
        await using var reader = await session.QueryAsync($"select {string.Join(", ", aggregates)} {scope.From(session.Warehouse.Dialect)}", null, cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var row = new object?[reader.FieldCount];
        reader.GetValues(row!);
        var share = clock.Elapsed / plans.Count;
        var offset = 1;
        foreach (var plan in plans)
        {
            values[plan] = new BatchValues(row[offset..(offset + plan.Aggregates.Count)], Convert.ToInt64(row[0], System.Globalization.CultureInfo.InvariantCulture), share, null);
            offset += plan.Aggregates.Count;
        }
    }

    // A check's time: its compilation, its share of the scan it was measured in, and its own queries.
    private async Task<CheckResult> FinishAsync(IWarehouseSession session, CheckPlan plan, BatchValues? batch, TimeSpan compile, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var check = plan.Check;
        var scope = plan.ScopeDescription;
        try
        {
            if (batch?.Error is { } scanError)
            {
                throw scanError;
            }

            var measurement = await plan.MeasureAsync(session, batch?.Values ?? [], batch?.InScope, cancellationToken);
            var (status, message) = Judge(check, measurement);
            string? sample = null;
            if (measurement.Failing > 0 && plan.FailingRowsSql is { } failing)
            {
                sample = await SampleAsync(session, plan, failing, cancellationToken);
            }
            else if (measurement.Measured is { } measured)
            {
                sample = FailureSample.Of(measured);
            }

            if (check.StoreFailures && plan.FailingRowsSql is { } rows)
            {
                await StoreFailuresAsync(session, check, rows, cancellationToken);
            }

            return new CheckResult(check, status, measurement.Failing, measurement.InScope, sample, message, scope, compile + clock.Elapsed + (batch?.Share ?? TimeSpan.Zero));
        }
        catch (Exception e) when (IsCheckError(e))
        {
            return Error(check, e, scope, compile + clock.Elapsed);
        }
    }

    /// <summary>Pass or fail from what was measured, with <c>mostly</c> and severity applied.</summary>
    internal static (CheckStatus Status, string? Message) Judge(CheckDefinition check, Measurement measurement)
    {
        var (failing, inScope) = (measurement.Failing, measurement.InScope);
        bool failed;
        string? message = measurement.Message;
        if (measurement.Failed is { } verdict)
        {
            failed = verdict;
        }
        else if (check.Kind.CountsRows && inScope is { } rows)
        {
            // Exact decimal arithmetic: 90 of 100 passing rows meet mostly 0.9, 89 do not.
            failed = check.Mostly is { } mostly ? rows - failing < (decimal)mostly * rows : failing > 0;
            if (failing > 0)
            {
                message ??= $"{failing:N0} of {rows:N0} rows fail ({(double)failing / Math.Max(1, rows):P2})"
                    + (check.Mostly is { } m ? failed ? $", more than mostly {m} allows" : $", within mostly {m}" : string.Empty);
            }
        }
        else
        {
            failed = failing > 0;
            message ??= failing > 0 ? $"{failing:N0} failing row(s)" : null;
        }

        if (!failed)
        {
            return (CheckStatus.Pass, message);
        }

        return (measurement.WarnOnly || check.Severity == CheckSeverity.Warn ? CheckStatus.Warn : CheckStatus.Fail, message);
    }

    private static async Task<string> SampleAsync(IWarehouseSession session, CheckPlan plan, string failing, CancellationToken cancellationToken)
    {
        // Ordered by the columns' names, not positions: ClickHouse before 22 reads ORDER BY 1 as a constant.
        var dialect = session.Warehouse.Dialect;
        var columns = plan.SampleColumns;
        var sql = columns.Count == 0
            ? $"select * from ({failing}) as failing limit {FailureSample.Limit}"
            : $"select {string.Join(", ", columns.Select(dialect.Quote))} from ({failing}) as failing order by {string.Join(", ", columns.Select(dialect.Quote))} limit {FailureSample.Limit}";
        await using var reader = await session.QueryAsync(sql, null, cancellationToken);
        return await FailureSample.ReadAsync(reader, cancellationToken);
    }

    // The failing rows of the latest run replace those of the one before, atomically.
    private async Task StoreFailuresAsync(IWarehouseSession session, CheckDefinition check, string failing, CancellationToken cancellationToken)
    {
        var table = new TableName(AuditSchema, check.Name);
        var dialect = session.Warehouse.Dialect;
        await session.CreateSchemaAsync(AuditSchema, cancellationToken);
        await using var transaction = await session.BeginTransactionAsync(cancellationToken);
        await session.ExecuteAsync($"drop table if exists {dialect.Quote(table)}", null, cancellationToken);
        await session.ExecuteAsync(dialect.CreateTableAs(dialect.Quote(table), $"select * from ({failing}) as failing"), null, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    private static CheckResult Error(CheckDefinition check, Exception e, string? scope, TimeSpan duration)
    {
        var message = e is CheckException or ConfigurationException
            ? FirstLine(e.Message)
            : $"{check.Location}: check '{check.Name}' could not run: {FirstLine(e.Message)}";
        return new CheckResult(check, CheckStatus.Error, null, null, null, SecretMasker.Mask(message), scope, duration);
    }

    private static string FirstLine(string message)
    {
        var newline = message.IndexOf('\n', StringComparison.Ordinal);
        return (newline < 0 ? message : message[..newline]).Trim();
    }

    private sealed record BatchValues(IReadOnlyList<object?> Values, long? InScope, TimeSpan Share, Exception? Error);
}
