using System.Globalization;
using Sluice.Core.Graph;
using Sluice.Core.Models;
using Sluice.Core.Project;
using Sluice.Core.Warehouse;
using Sluice.Models.Compile;
using Sluice.Warehouses.Metadata;

namespace Sluice.Server.Pipeline;

/// <summary>What the model page shows of one resource: its SQL as written and compiled, its columns, checks and neighbours.</summary>
internal static class ModelPage
{
    public static async Task<ModelResponse> DescribeAsync(ParsedProject project, ModelDefinition model, IWarehouseSession session, TimeProvider clock, CancellationToken cancellationToken)
    {
        var (compiled, error) = Compile(project, model, clock);
        var table = await session.DescribeTableAsync(model.Table, cancellationToken);
        var described = model.Properties?.Columns ?? [];
        var columns = table is null
            ? described.Select(c => new ModelColumn(c.Name, null, c.Description)).ToList()
            : [.. table.Columns.Select(c => new ModelColumn(c.Name, c.Type.ToString(), described.FirstOrDefault(d => string.Equals(d.Name, c.Name, StringComparison.OrdinalIgnoreCase))?.Description))];
        var latest = await LatestResultsAsync(session, model.Name, cancellationToken);
        var checks = project.Checks.Where(c => c.Target?.Model == model.Name).Select(c =>
        {
            var result = latest.GetValueOrDefault(c.Name);
            return new ModelCheck(c.Name, c.Kind.TypeName, c.Column, c.Severity.ToString().ToLowerInvariant(), c.Mostly,
                result?.Status, result?.FailingRows, result?.Message, result?.CheckedAt);
        }).ToList();
        return new ModelResponse(
            Lineage.Node(project, model),
            model.Config.PartitionBy,
            model.Config.UniqueKey,
            model.Source?.Text,
            compiled,
            error,
            columns,
            checks);
    }

    // The SQL a full build runs; a model whose templating fails still has a page, with the reason.
    private static (string? Sql, string? Error) Compile(ParsedProject project, ModelDefinition model, TimeProvider clock)
    {
        if (model.Kind == NodeKind.Seed)
        {
            return (null, null);
        }

        try
        {
            var facts = RenderFacts.Default(clock.GetUtcNow(), "model-page");
            return (new ModelCompiler(project).Compile(model, facts).Sql.Trim(), null);
        }
        catch (SluiceException e)
        {
            return (null, e.Message);
        }
    }

    private sealed record Result(string Status, long? FailingRows, string? Message, DateTimeOffset CheckedAt);

    private static async Task<Dictionary<string, Result>> LatestResultsAsync(IWarehouseSession session, string model, CancellationToken cancellationToken)
    {
        var results = new Dictionary<string, Result>(StringComparer.Ordinal);
        var sql = $"""
            select check_name, status, failing_rows, message, checked_at
            from {MetadataSchema.Name}.check_results
            where model = $1
            order by checked_at desc
            limit 1000
            """;
        await using var reader = await session.QueryAsync(sql, [model], cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var name = reader.GetString(0);
            if (!results.ContainsKey(name))
            {
                results[name] = new Result(
                    reader.GetString(1),
                    reader.IsDBNull(2) ? null : Convert.ToInt64(reader.GetValue(2), CultureInfo.InvariantCulture),
                    reader.IsDBNull(3) ? null : reader.GetString(3),
                    reader.GetValue(4) switch { DateTimeOffset o => o, DateTime d => new DateTimeOffset(DateTime.SpecifyKind(d, DateTimeKind.Utc)), var other => DateTimeOffset.Parse(other.ToString()!, CultureInfo.InvariantCulture) });
            }
        }

        return results;
    }
}
