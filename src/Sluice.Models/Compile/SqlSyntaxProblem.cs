using Sluice.Core.Templating;
using Sluice.Core.Warehouse;

namespace Sluice.Models.Compile;

/// <summary>
/// A model's compiled SQL that the warehouse's parser rejected, placed where the user wrote
/// it: at the model's own line and column when the engine's position falls in text copied from
/// the file, at the expression when an expression rendered that text, and at the line and
/// column of the compiled SQL when the text came from no file.
/// </summary>
public sealed class SqlSyntaxProblem
{
    /// <summary>Places <paramref name="error"/>, found in <paramref name="compiled"/>'s SQL.</summary>
    public SqlSyntaxProblem(CompiledModel compiled, SqlSyntaxError error)
    {
        var model = compiled.Definition;
        var show = $"`sluice compile -s {model.Name}` writes it to target/compiled/";
        Place = model.File;
        Reason = error.Message;
        Fix = "fix the model's SQL; a model is one query";
        if (error.Offset is not { } offset)
        {
            return;
        }

        var compiledPosition = new TemplateSource(model.File, compiled.Sql).PositionOf(Math.Min(offset, compiled.Sql.Length));
        var inCompiled = $"line {compiledPosition.Line}, column {compiledPosition.Column} of the compiled SQL";
        switch (compiled.Map.Locate(offset))
        {
            case null:
                Reason = $"{error.Message}, at {inCompiled}";
                Fix = $"see the compiled SQL: {show}";
                break;
            case { Copied: true } location:
                Place = $"{location.File}:{location.Position.Line}:{location.Position.Column}";
                Reason = location.File == model.File ? error.Message : $"{error.Message}, in this ephemeral model as '{model.Name}' inlines it";
                Fix = "fix the SQL there";
                break;
            case var location:
                Place = $"{location.File}:{location.Position.Line}:{location.Position.Column}";
                Reason = $"{error.Message}, in what the expression here renders ({inCompiled})";
                Fix = $"see what it renders: {show}";
                break;
        }
    }

    /// <summary>Where: <c>models/x.sql:7:36</c>, or the model's file alone when there is no better place.</summary>
    public string Place { get; }

    /// <summary>The engine's message, and where in the compiled SQL when <see cref="Place"/> cannot say.</summary>
    public string Reason { get; }

    /// <summary>What to do about it.</summary>
    public string Fix { get; }

    /// <summary>One line: <c>models/x.sql:7:36: Parser Error: syntax error at or near "by" — fix the SQL there</c>.</summary>
    public string Message => $"{Place}: {Reason} — {Fix}";

    /// <summary>
    /// Has the warehouse's parser read <paramref name="compiled"/> as a run sends it; null when
    /// it parses. Names the model's relations need not exist.
    /// </summary>
    public static async Task<SqlSyntaxProblem?> FindAsync(ISqlSyntaxCheck check, CompiledModel compiled, CancellationToken cancellationToken)
    {
        var sql = SqlText.TrimStatement(compiled.Sql);
        if (string.IsNullOrWhiteSpace(sql))
        {
            return new SqlSyntaxProblem(compiled, new SqlSyntaxError("the model renders no SQL", null));
        }

        return await check.CheckAsync(sql, cancellationToken) is { } error ? new SqlSyntaxProblem(compiled, error) : null;
    }
}
