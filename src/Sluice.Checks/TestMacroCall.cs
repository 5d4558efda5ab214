using Sluice.Core.Checks;
using Sluice.Core.Models;
using Sluice.Core.Templating;
using Sluice.Models.Compile;

namespace Sluice.Checks;

/// <summary>
/// Renders a generic test's macro as dbt runs it: <c>model</c> is the checked relation — wrapped
/// as <c>(select * from … where …) dbt_subquery</c> when the test has a <c>where</c>, or passed to
/// the project's own <c>get_where_subquery</c> — <c>column_name</c> the column it is declared on,
/// and the other arguments are the YAML's, with <c>ref()</c>, <c>source()</c> and Jinja rendered
/// in the same context. <c>config()</c> in the macro sets defaults the YAML may override. Errors
/// name the test's entry and the macro's file and line.
/// </summary>
internal sealed class TestMacroCall(ParsedProject project, CheckDefinition check, MacroCheck test, string? where)
{
    private readonly TemplateSource _entry = new(check.File, string.Empty);
    private readonly Dictionary<string, object?> _macroConfig = new(StringComparer.Ordinal);

    /// <summary>The SQL that selects the failing rows, without a trailing semicolon.</summary>
    public string Render(ModelCompiler compiler, RenderFacts facts, Relation self)
    {
        var config = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["where"] = where,
            ["severity"] = check.Severity == CheckSeverity.Warn ? "warn" : "error",
            ["warn_if"] = test.WarnIf,
            ["error_if"] = test.ErrorIf,
            ["fail_calc"] = test.FailCalc,
            ["limit"] = test.Limit,
            ["store_failures"] = check.StoreFailures,
            ["tags"] = check.Tags.Cast<object?>().ToList(),
        };
        string sql;
        try
        {
            sql = compiler.CompileAdHoc(Call, facts, self, key => !test.Configured.Contains(key) && _macroConfig.TryGetValue(key, out var set) ? set : config.GetValueOrDefault(key), Configure);
        }
        catch (TemplateException e)
        {
            throw new CheckException($"{Describe()}: {e.Message}", e);
        }

        sql = SqlText.TrimStatement(sql);
        return sql.Trim().Length > 0
            ? sql
            : throw new CheckException($"{Describe()}: the macro rendered no SQL; a generic test's macro writes a query that selects the failing rows.");
    }

    /// <summary>
    /// The check with the defaults the macro set with <c>config(severity=…, warn_if=…, …)</c> for
    /// what the YAML leaves unset, as dbt applies them; <see cref="Render"/> first.
    /// </summary>
    public CheckDefinition WithMacroConfig()
    {
        var (effective, kind) = (check, test);
        foreach (var (key, value) in _macroConfig.Where(c => !test.Configured.Contains(c.Key)))
        {
            var text = TemplateValues.Render(value);
            switch (key)
            {
                case "severity":
                    effective = effective with
                    {
                        Severity = text.ToLowerInvariant() switch
                        {
                            "warn" or "warning" => CheckSeverity.Warn,
                            "error" => CheckSeverity.Error,
                            _ => throw new CheckException($"{Describe()}: config(severity=...) must be 'warn' or 'error', not '{text}'."),
                        },
                    };
                    break;
                case "warn_if":
                    kind = kind with { WarnIf = TestThresholds.Normalize(text) ?? throw new CheckException($"{Describe()}: config(): {TestThresholds.Problem(key, text)}") };
                    break;
                case "error_if":
                    kind = kind with { ErrorIf = TestThresholds.Normalize(text) ?? throw new CheckException($"{Describe()}: config(): {TestThresholds.Problem(key, text)}") };
                    break;
                case "fail_calc":
                    kind = kind with { FailCalc = text };
                    break;
                case "limit":
                    kind = kind with { Limit = value is long limit and > 0 ? limit : throw new CheckException($"{Describe()}: config(limit=...) must be a whole number above 0, not '{text}'.") };
                    break;
                case "store_failures":
                    effective = effective with { StoreFailures = TemplateValues.IsTrue(value) };
                    break;
            }
        }

        return effective with { Kind = kind };
    }

    /// <summary><c>models/schema.yml:12: check 'x' (test 'dbt_utils.at_least_one', macro … at …)</c>, for messages.</summary>
    public string Describe() =>
        $"{check.Location}: check '{check.Name}' (test '{test.TestName}', macro {test.Macro.Macro.DisplayName} at {test.MacroLocation})";

    // config() in a test's macro sets its defaults; a key set twice keeps the last value, as in dbt.
    private void Configure(TemplateCall call)
    {
        foreach (var (key, value) in call.Named)
        {
            _macroConfig[key] = value;
        }
    }

    private string Call(TemplateEnvironment environment)
    {
        var macro = test.Macro.Macro;
        bool Takes(string name) => macro.TakesKwargs || macro.Parameters.Any(p => p.Name == name);
        var named = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (name, value) in test.Arguments)
        {
            named[name] = Argument(name, value, environment);
        }

        if (Takes("model"))
        {
            named["model"] = Model(environment);
        }

        if (check.Column is not null && Takes("column_name"))
        {
            named["column_name"] = check.Column;
        }

        return TemplateValues.Render(TemplateRenderer.CallMacro(test.Macro, environment, [], named));
    }

    // dbt's get_where_subquery(ref(...)): the project may write its own.
    private object? Model(TemplateEnvironment environment)
    {
        var target = check.Target!;
        var relation = target.IsSource
            ? new Relation(project.TryResolveSource(target.Source!, target.Table!)!)
            : ((TemplateFunction)environment.Globals["ref"]!)(new TemplateCall("ref", [target.Model], new Dictionary<string, object?>(), _entry, 0));
        if (project.Macros.Find(project.Macros.RootPackage, "get_where_subquery") is { } custom)
        {
            return TemplateRenderer.CallMacro(custom, environment, [relation], new Dictionary<string, object?>());
        }

        return where is null ? relation : new FilteredRelation((ITemplateObject)relation!, where);
    }

    private object? Argument(string name, object? value, TemplateEnvironment environment) => value switch
    {
        TemplateArgument { Expression: { } expression } => Evaluate(name, expression, environment),
        TemplateArgument text => RenderText(name, text.Text, environment),
        IReadOnlyList<object?> list => list.Select(item => Argument(name, item, environment)).ToList(),
        IReadOnlyDictionary<string, object?> mapping => mapping.ToDictionary(e => e.Key, e => Argument(name, e.Value, environment), StringComparer.Ordinal),
        _ => value,
    };

    private string RenderText(string name, string text, TemplateEnvironment environment)
    {
        var source = new TemplateSource($"{check.File} ({name})", text);
        return TemplateRenderer.Render(source, TemplateParser.Parse(source), environment);
    }

    // An expression's own value (a relation, a number), read through a macro that returns it.
    private object? Evaluate(string name, string expression, TemplateEnvironment environment)
    {
        var source = new TemplateSource($"{check.File} ({name})", $"{{% macro argument() %}}{{{{ return({expression}) }}}}{{% endmacro %}}");
        var macro = MacroDefinition.In(TemplateParser.Parse(source), source, null)[0];
        return TemplateRenderer.CallMacro(new MacroValue(macro), environment, [], new Dictionary<string, object?>());
    }
}
