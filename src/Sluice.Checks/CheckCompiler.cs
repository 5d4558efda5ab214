using System.Globalization;
using Sluice.Core.Checks;
using Sluice.Core.Models;
using Sluice.Core.Project;
using Sluice.Core.Templating;
using Sluice.Core.Warehouse;
using Sluice.Models.Compile;
using Sluice.Models.Materialize;

namespace Sluice.Checks;

/// <summary>
/// Turns checks into <see cref="CheckPlan"/>s: resolves the relations they read, checks that the
/// columns they name exist (matching them without regard to case, as the engines do for
/// unquoted names), renders <c>where</c> and expressions, and narrows a partitioned model's
/// scope to the partitions of the run.
/// </summary>
internal sealed partial class CheckCompiler(ParsedProject project, ISqlDialect dialect, CheckRunOptions options)
{
    private readonly ModelCompiler _compiler = new(project);
    private readonly Dictionary<TableName, IReadOnlyList<string>> _columns = [];

    private RenderFacts Facts => new(false, options.From, options.To.AddDays(1), options.StartedAt, options.InvocationId);

    public async Task<CheckPlan> CompileAsync(IWarehouseSession session, CheckDefinition check, CancellationToken cancellationToken)
    {
        switch (check.Kind)
        {
            case SingularCheck singular:
                return new SingularPlan(check, Runnable(check, _compiler.CompileAdHoc(singular.Source.Text, Facts, check.File).Trim().TrimEnd(';'), null));
            case ParityCheck:
                return new ParityPlan(check, dialect, check.Where is null ? null : Render(check, check.Where), options.Now);
            case MacroCheck test:
                return await MacroPlanAsync(session, check, test, cancellationToken);
        }

        var target = check.Target!;
        var table = Resolve(target);
        var columns = await ColumnsAsync(session, table, target, check, cancellationToken);
        string Column(string name) => Find(columns, name, target, check);
        var scope = Scope(check, table);
        var column = check.Column is null ? null : Column(check.Column);
        var quoted = column is null ? null : dialect.Quote(column);
        var key = KeyOf(target).Select(k => columns.FirstOrDefault(c => string.Equals(c, k, StringComparison.OrdinalIgnoreCase))).OfType<string>().ToList();
        IReadOnlyList<string> checkedColumns = check.Kind is UniqueCombinationCheck combination ? [.. combination.Columns.Select(Column)] : column is null ? [] : [column];
        IReadOnlyList<string> sample = key.Count == 0
            ? []
            : [.. key.Concat(checkedColumns).Concat(check.Kind is UniqueCheck or UniqueCombinationCheck ? [DuplicatePlan.OccurrencesColumn] : []).Distinct(StringComparer.Ordinal)];

        return check.Kind switch
        {
            NotNullCheck => new RowPlan(check, scope, dialect, $"{quoted} is not null", count: $"count(*) - count({quoted})") { SampleColumns = sample },
            AcceptedValuesCheck values => new RowPlan(check, scope, dialect, $"{quoted} is null or {quoted} in ({string.Join(", ", values.Values.Select(v => Value(v, values.Quote)))})") { SampleColumns = sample },
            AcceptedRangeCheck range => new RowPlan(check, scope, dialect, RangeCondition(check, quoted!, range)) { SampleColumns = sample },
            ExpressionIsTrueCheck expression => new RowPlan(check, scope, dialect, column is null ? Render(check, expression.Expression) : $"{quoted} {Render(check, expression.Expression)}") { SampleColumns = sample },
            RegexCheck regex => new RowPlan(check, scope, dialect, dialect.RegexMatches(quoted!, regex.Pattern)) { SampleColumns = sample },
            RelationshipsCheck relationships => new RowPlan(check, scope, dialect, await RelationshipConditionAsync(session, check, quoted!, relationships, cancellationToken)) { SampleColumns = sample },
            UniqueCheck or UniqueCombinationCheck => new DuplicatePlan(check, scope, dialect, checkedColumns, columns, skipNulls: check.Kind is UniqueCheck) { SampleColumns = sample },
            NotEmptyCheck or RowCountCheck or FreshnessCheck => new TablePlan(check, scope, dialect, column, (check.Kind as RowCountCheck)?.EqualTo is { } other ? Resolve(other) : null, options.Now),
            _ => throw new InvalidOperationException($"no plan for checks of type '{check.Type}'"),
        };
    }

    // The macro renders now, against the warehouse: its run_query() and catalog reads see the
    // relations as they are. A relation that does not exist is said before the macro's SQL
    // would fail on it; the column is the macro's to use (expect_column_to_exist tests that it
    // is missing), so a wrong one is an error of the SQL, naming the macro. The macro's model
    // is narrowed as every check's scope is: by where and by the run's partitions.
    private async Task<CheckPlan> MacroPlanAsync(IWarehouseSession session, CheckDefinition check, MacroCheck test, CancellationToken cancellationToken)
    {
        var target = check.Target!;
        if (target.TableIn(project) is { } table)
        {
            await ColumnsAsync(session, table, target, check, cancellationToken);
        }

        var (filter, description) = Filter(check);
        var call = new TestMacroCall(project, check, test, filter);
        var audit = new Relation(new TableName(CheckRunner.AuditSchemaOf(project), check.Name));
        var sql = Runnable(check, call.Render(_compiler, Facts with { Warehouse = new SessionTemplateWarehouse(session) }, audit), call.Describe());
        var effective = call.WithMacroConfig();
        return new MacroPlan(effective, (MacroCheck)effective.Kind, sql, call.Describe()) { Partitions = description };
    }

    // A check's own SQL (a singular check's, a test macro's, with the CTEs of the ephemeral models
    // it reads) that begins with common table expressions is refused before it runs on an engine
    // without them, saying why and what to do, rather than failing with the parser's complaint.
    private string Runnable(CheckDefinition check, string sql, string? describe)
    {
        if (dialect.CommonTableExpressionsMissing is { } missing && LeadingWith().IsMatch(sql))
        {
            throw new CheckException(
                $"{describe ?? $"{check.Location}: check '{check.Name}'"} cannot run here: its SQL begins with `with … as (…)` and {missing}; "
                + "write it without WITH (a package test: a clickhouse__ version of its macro in the project, found through dispatch; an ephemeral model: materialize it as a view).");
        }

        return sql;
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^\s*(?:(?:--[^\n]*\n|/\*.*?\*/)\s*)*with\s+(?:recursive\s+)?[\w""`]+\s+as\s*(?:(?:not\s+)?materialized\s+)?\(", System.Text.RegularExpressions.RegexOptions.IgnoreCase | System.Text.RegularExpressions.RegexOptions.Singleline)]
    private static partial System.Text.RegularExpressions.Regex LeadingWith();

    /// <summary>The warehouse table of a check's target.</summary>
    public TableName Resolve(RelationReference target) =>
        target.TableIn(project)
        ?? throw new CheckException($"{project.Nodes[target.Model!].File}: '{target.Model}' is ephemeral, so there is no relation to check; materialize it as a view or table, or check the models that use it.");

    // A null-free subquery: "in" is then false, never null, for a value the parent lacks. A null
    // key passes, as in dbt; it is said outright because ClickHouse's "null in (…)" is false.
    private async Task<string> RelationshipConditionAsync(IWarehouseSession session, CheckDefinition check, string quoted, RelationshipsCheck relationships, CancellationToken cancellationToken)
    {
        var parent = Resolve(relationships.To);
        var field = dialect.Quote(Find(await ColumnsAsync(session, parent, relationships.To, check, cancellationToken), relationships.Field, relationships.To, check));
        return $"{quoted} is null or {quoted} in (select {field} from {dialect.Quote(parent)} where {field} is not null)";
    }

    private CheckScope Scope(CheckDefinition check, TableName table)
    {
        var (filter, description) = Filter(check);
        return new CheckScope(table, filter, description);
    }

    // The condition on the checked relation's rows — where, and the run's partitions of a
    // partitioned model — with the partitions as results describe them.
    private (string? Filter, string? Description) Filter(CheckDefinition check)
    {
        var filters = new List<string>();
        if (check.Where is not null)
        {
            filters.Add($"({Render(check, check.Where)})");
        }

        string? description = null;
        if (!check.Target!.IsSource
            && project.Nodes[check.Target.Model!].Config is { PartitionBy: { } partitionBy } config
            && options.Partitions.TryGetValue(check.Target.Model!, out var partitions))
        {
            var ranges = Ranges(partitions);
            var column = dialect.Quote(partitionBy);
            filters.Add("(" + string.Join(" or ", ranges.Select(r => $"({Partitions.Condition(column, config.PartitionKey, r.Start, r.End)})")) + ")");
            description = string.Join(", ", ranges.Select(r => r.End.AddDays(-1) == r.Start ? Text(r.Start) : $"{Text(r.Start)}..{Text(r.End.AddDays(-1))}"));
        }

        return (filters.Count == 0 ? null : string.Join(" and ", filters), description);
    }

    // Partitions that touch merge into ranges, so a month of days is one condition.
    private static List<DatePartition> Ranges(IEnumerable<DatePartition> partitions)
    {
        var ranges = new List<DatePartition>();
        foreach (var partition in partitions.OrderBy(p => p.Start))
        {
            if (ranges.Count > 0 && ranges[^1].End >= partition.Start)
            {
                ranges[^1] = ranges[^1] with { End = partition.End > ranges[^1].End ? partition.End : ranges[^1].End };
            }
            else
            {
                ranges.Add(partition);
            }
        }

        return ranges;
    }

    private static string Text(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Day(DateOnly day) => $"date '{Text(day)}'";

    private string RangeCondition(CheckDefinition check, string quoted, AcceptedRangeCheck range)
    {
        var (lower, upper) = range.Inclusive ? (">=", "<=") : (">", "<");
        var parts = new List<string>();
        if (range.Min is not null)
        {
            parts.Add($"{quoted} {lower} {Bound(check, range.Min)}");
        }

        if (range.Max is not null)
        {
            parts.Add($"{quoted} {upper} {Bound(check, range.Max)}");
        }

        return string.Join(" and ", parts);
    }

    // Numbers as numbers, dates and timestamps as typed literals, anything else as SQL.
    private string Bound(CheckDefinition check, object bound) => bound switch
    {
        long or double => Convert.ToString(bound, CultureInfo.InvariantCulture)!,
        string text when DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _) => $"date '{text}'",
        string text when DateTime.TryParseExact(text, ["yyyy-MM-dd HH:mm:ss", "yyyy-MM-ddTHH:mm:ss", "yyyy-MM-dd HH:mm", "yyyy-MM-ddTHH:mm:ssZ"], CultureInfo.InvariantCulture, DateTimeStyles.None, out _)
            => $"timestamp '{text.Replace('T', ' ').TrimEnd('Z')}'",
        string text => $"({Render(check, text)})",
        _ => TemplateValues.Render(bound),
    };

    private string Value(object? value, bool quote)
    {
        var text = value switch
        {
            null => "null",
            bool flag => flag ? "true" : "false",
            _ => Convert.ToString(value, CultureInfo.InvariantCulture)!,
        };
        return quote && value is not null ? dialect.Literal(text) : text;
    }

    private string Render(CheckDefinition check, string text) => _compiler.CompileAdHoc(text, Facts, check.Location).Trim();

    private async Task<IReadOnlyList<string>> ColumnsAsync(IWarehouseSession session, TableName table, RelationReference target, CheckDefinition check, CancellationToken cancellationToken)
    {
        if (_columns.TryGetValue(table, out var known))
        {
            return known;
        }

        try
        {
            known = await Relations.ColumnNamesAsync(session, table, cancellationToken);
        }
        catch (WarehouseException e)
        {
            if (await session.DescribeTableAsync(table, cancellationToken) is not null)
            {
                throw;
            }

            var fix = target.IsSource ? "sync it first with `sluice sync`" : $"build it first with `sluice build --select {target.Model}`";
            throw new CheckException($"{check.Location}: {target} ({table}) does not exist in the warehouse; {fix}.", e);
        }

        _columns[table] = known;
        return known;
    }

    private static string Find(IReadOnlyList<string> columns, string name, RelationReference target, CheckDefinition check) =>
        columns.FirstOrDefault(c => c == name)
        ?? columns.FirstOrDefault(c => string.Equals(c, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new CheckException(
            $"{check.Location}: check '{check.Name}' names the column '{name}', which {target} does not have (its columns are {string.Join(", ", columns.Take(20))}{(columns.Count > 20 ? ", …" : string.Empty)}); fix the column name.");

    // The columns that identify a row, for samples: the model's unique_key, the synced table's
    // primary key, or a column that is checked both unique and not null.
    private IReadOnlyList<string> KeyOf(RelationReference target)
    {
        if (!target.IsSource && project.Nodes[target.Model!].Config.UniqueKey is { Count: > 0 } uniqueKey)
        {
            return uniqueKey;
        }

        if (target.IsSource && project.SourceKeys.TryGetValue((target.Source!, target.Table!), out var primaryKey))
        {
            return primaryKey;
        }

        var checks = project.Checks.Where(c => c.Target == target && c.Column is not null).ToList();
        return checks.Where(c => c.Kind is UniqueCheck && c.Mostly is null && c.Where is null)
            .Select(c => c.Column!)
            .Where(column => checks.Any(c => c.Kind is NotNullCheck && c.Column == column))
            .Take(1)
            .ToList();
    }
}
