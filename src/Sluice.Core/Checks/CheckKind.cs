using Sluice.Core.Models;
using Sluice.Core.Templating;

namespace Sluice.Core.Checks;

/// <summary>A check's type with its arguments, read and validated from the project.</summary>
/// <param name="TypeName">The name a property file uses: <c>not_null</c>, <c>accepted_values</c>, ….</param>
public abstract record CheckKind(string TypeName)
{
    /// <summary>Whether the check looks at each row (and <c>mostly</c> counts rows), rather than at the table as a whole.</summary>
    public virtual bool CountsRows => true;
}

/// <summary>The column has no nulls.</summary>
public sealed record NotNullCheck() : CheckKind("not_null");

/// <summary>No two rows share a (non-null) value of the column.</summary>
public sealed record UniqueCheck() : CheckKind("unique");

/// <summary>Every non-null value is one of <paramref name="Values"/>.</summary>
/// <param name="Values">The accepted values.</param>
/// <param name="Quote">Whether they are written as strings (dbt's default) or as SQL literals.</param>
public sealed record AcceptedValuesCheck(IReadOnlyList<object?> Values, bool Quote) : CheckKind("accepted_values");

/// <summary>Every non-null value is found in <paramref name="Field"/> of <paramref name="To"/>.</summary>
/// <param name="To">The referenced relation.</param>
/// <param name="Field">Its column.</param>
public sealed record RelationshipsCheck(RelationReference To, string Field) : CheckKind("relationships");

/// <summary>Every non-null value lies between the bounds.</summary>
/// <param name="Min">The lower bound (a number, a date or timestamp, or SQL), or null.</param>
/// <param name="Max">The upper bound, or null.</param>
/// <param name="Inclusive">Whether the bounds themselves pass (default true).</param>
public sealed record AcceptedRangeCheck(object? Min, object? Max, bool Inclusive) : CheckKind("accepted_range");

/// <summary>A SQL condition holds for every row (on a column: <c>column expression</c>).</summary>
/// <param name="Expression">The condition.</param>
public sealed record ExpressionIsTrueCheck(string Expression) : CheckKind("expression_is_true");

/// <summary>No two rows share the combination of <paramref name="Columns"/>.</summary>
/// <param name="Columns">The columns.</param>
public sealed record UniqueCombinationCheck(IReadOnlyList<string> Columns) : CheckKind("unique_combination_of_columns");

/// <summary>The values match a regular expression (a partial match unless anchored).</summary>
/// <param name="Pattern">The expression.</param>
public sealed record RegexCheck(string Pattern) : CheckKind("regex");

/// <summary>The relation has at least one row in scope.</summary>
public sealed record NotEmptyCheck() : CheckKind("not_empty")
{
    /// <inheritdoc />
    public override bool CountsRows => false;
}

/// <summary>The number of rows in scope is within bounds, or equals another relation's.</summary>
/// <param name="Min">The least count, or null.</param>
/// <param name="Max">The greatest count, or null.</param>
/// <param name="EqualTo">A relation whose row count must be matched, or null.</param>
public sealed record RowCountCheck(long? Min, long? Max, RelationReference? EqualTo) : CheckKind("row_count")
{
    /// <inheritdoc />
    public override bool CountsRows => false;
}

/// <summary>The newest value of a timestamp column is recent: older than <paramref name="WarnAfter"/> warns, older than <paramref name="ErrorAfter"/> fails.</summary>
/// <param name="WarnAfter">The age that warns, or null.</param>
/// <param name="ErrorAfter">The age that fails, or null.</param>
public sealed record FreshnessCheck(TimeSpan? WarnAfter, TimeSpan? ErrorAfter) : CheckKind("freshness")
{
    /// <inheritdoc />
    public override bool CountsRows => false;
}

/// <summary>A synced table matches its source: the days of the sync's latest parity check with a mismatch ratio above <paramref name="MaxMismatchRatio"/> fail.</summary>
/// <param name="MaxMismatchRatio">The mismatch ratio a day may have (default 0).</param>
/// <param name="MaxAge">How old the latest parity check may be, or null.</param>
public sealed record ParityCheck(double MaxMismatchRatio, TimeSpan? MaxAge) : CheckKind("parity");

/// <summary>A SQL file whose rows are the failures.</summary>
/// <param name="Source">The file's text.</param>
/// <param name="Template">Its parsed template.</param>
public sealed record SingularCheck(TemplateSource Source, IReadOnlyList<TemplateNode> Template) : CheckKind("singular")
{
    /// <inheritdoc />
    public override bool CountsRows => false;
}

/// <summary>
/// A generic test written as a macro (dbt's <c>{% test name(model, column_name, …) %}</c>): the
/// macro renders to SQL that selects the failing rows, and <see cref="FailCalc"/> over those rows,
/// compared with <see cref="WarnIf"/> and <see cref="ErrorIf"/>, decides the outcome.
/// </summary>
/// <param name="TestName">The test's name as written: <c>my_test</c>, <c>dbt_utils.at_least_one</c>.</param>
/// <param name="Macro">The macro that implements it (<c>test_my_test</c>).</param>
/// <param name="Arguments">
/// Its arguments as the YAML gives them, without <c>model</c> and <c>column_name</c>: strings that
/// call <c>ref()</c>, <c>source()</c>, <c>var()</c> or <c>env_var()</c>, or hold Jinja, are
/// <see cref="TemplateArgument"/>s, rendered when the check runs, as dbt renders them.
/// </param>
public sealed record MacroCheck(string TestName, MacroValue Macro, IReadOnlyDictionary<string, object?> Arguments) : CheckKind(TestName)
{
    /// <summary>The SQL aggregate over the failing rows that is compared with the thresholds (dbt's <c>fail_calc</c>).</summary>
    public string FailCalc { get; init; } = "count(*)";

    /// <summary>The comparison that makes <see cref="FailCalc"/> a warning, such as <c>!= 0</c> or <c>&gt; 10</c>.</summary>
    public string WarnIf { get; init; } = TestThresholds.AnyFailure;

    /// <summary>The comparison that makes <see cref="FailCalc"/> a failure (severity error only).</summary>
    public string ErrorIf { get; init; } = TestThresholds.AnyFailure;

    /// <summary>At most this many failing rows are read (dbt's <c>limit</c>), or null for all.</summary>
    public long? Limit { get; init; }

    /// <summary>
    /// The settings the YAML gives (<c>severity</c>, <c>warn_if</c>, …): they win over the defaults
    /// the macro sets with <c>config()</c>, which apply to the others when it renders.
    /// </summary>
    public IReadOnlySet<string> Configured { get; init; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>Where the macro is written, for messages: <c>macros/tests.sql:3</c>.</summary>
    public string MacroLocation => MacroCheckEntry.MacroLocation(Macro.Macro);

    /// <inheritdoc />
    public override bool CountsRows => false;
}

/// <summary>A string argument of a generic test that is rendered when the test runs.</summary>
/// <param name="Text">The string as written.</param>
/// <param name="Expression">
/// The expression whose value the argument is — for a bare call such as <c>ref('orders')</c> or a
/// string that is one <c>{{ … }}</c> — so that a relation or a number stays one; null when the
/// string is Jinja among text, which renders to text.
/// </param>
public sealed record TemplateArgument(string Text, string? Expression);
