using System.Text;

namespace Sluice.Core.Templating;

/// <summary>Calling macros: binding arguments as Jinja does, <c>caller()</c>, the recursion guard and the call trace of errors.</summary>
public sealed partial class TemplateRenderer
{
    /// <summary>
    /// Calls <paramref name="macro"/> from host code (a schema-name override, a generic test):
    /// its rendered text, or what it returned with <c>return()</c>.
    /// </summary>
    public static object? CallMacro(MacroValue macro, TemplateEnvironment environment, IReadOnlyList<object?> positional, IReadOnlyDictionary<string, object?> named)
    {
        var caller = new TemplateRenderer(macro.Macro.Source, environment, macro.Macro.Package, new Dictionary<string, object?>(StringComparer.Ordinal), null);
        return caller.Invoke(macro, [.. positional], named.ToDictionary(StringComparer.Ordinal), null, macro.Macro.Offset);
    }

    // A call block's body as the called macro's caller(): rendered here, where it is written, so
    // that it sees this template's variables, with the caller's own arguments bound.
    private TemplateFunction CallerOf(CallBlockNode block) => call =>
    {
        var scope = new Dictionary<string, object?>(StringComparer.Ordinal);
        for (var i = 0; i < block.CallerParameters.Count; i++)
        {
            var parameter = block.CallerParameters[i];
            scope[parameter.Name] = i < call.Positional.Count ? call.Positional[i]
                : call.Named.TryGetValue(parameter.Name, out var value) ? value
                : parameter.Default is null ? null : Evaluate(parameter.Default);
        }

        _scopes.Add(scope);
        try
        {
            var output = new StringBuilder();
            Write(block.Body, output, null);
            return output.ToString();
        }
        finally
        {
            _scopes.RemoveAt(_scopes.Count - 1);
        }
    };

    private object? Invoke(MacroValue value, List<object?> positional, Dictionary<string, object?> named, TemplateFunction? caller, int callOffset)
    {
        var macro = value.Macro;
        var position = _source.PositionOf(callOffset);
        var calls = _environment.Calls;
        if (calls.Count >= TemplateEnvironment.MaxCallDepth)
        {
            var chain = calls.Take(3).Select(c => c.Macro).Append("…").Concat(calls.TakeLast(2).Select(c => c.Macro)).Append(macro.DisplayName);
            throw _source.Error(callOffset, $"macro calls nest more than {TemplateEnvironment.MaxCallDepth} deep ({string.Join(" → ", chain)}); a macro calls itself without end — give its recursion a condition that stops it");
        }

        var locals = Bind(macro, positional, named, callOffset);
        if (caller is not null)
        {
            locals["caller"] = caller;
        }

        var body = new TemplateRenderer(macro.Source, _environment, macro.Package ?? _package, locals, value.Module);
        calls.Add(new MacroCallSite(macro.DisplayName, _source.File, position));
        try
        {
            foreach (var parameter in macro.Parameters)
            {
                if (!locals.ContainsKey(parameter.Name))
                {
                    locals[parameter.Name] = parameter.Default is null
                        ? new Undefined($"the argument '{parameter.Name}' of macro '{macro.DisplayName}' (not passed)", macro.Offset)
                        : body.Evaluate(parameter.Default);
                }
            }

            var output = new StringBuilder();
            body.Write(macro.Body, output, null);
            return body._returned ? body._returnValue : output.ToString();
        }
        catch (TemplateException error)
        {
            // The innermost call records the calls under way; the outermost names them all.
            error.CallTrace ??= [.. calls];
            if (calls.Count > 1)
            {
                throw;
            }

            var trace = error.CallTrace;
            var shown = trace.Count <= 6 ? trace : [.. trace.Take(3), .. trace.TakeLast(3)];
            var where = string.Join(", ", shown.Reverse().Select(c => $"in macro '{c.Macro}' called at {c.File}:{c.Position.Line}:{c.Position.Column}"));
            throw new TemplateException(error.File, error.Position, $"{error.Reason} ({where})");
        }
        finally
        {
            calls.RemoveAt(calls.Count - 1);
        }
    }

    // Jinja's binding: positional arguments in order, then named ones; extras go to varargs and
    // kwargs when the body reads them, and are an error otherwise.
    private Dictionary<string, object?> Bind(MacroDefinition macro, List<object?> positional, Dictionary<string, object?> named, int callOffset)
    {
        var locals = new Dictionary<string, object?>(StringComparer.Ordinal);
        var parameters = macro.Parameters;
        var extra = new List<object?>();
        for (var i = 0; i < positional.Count; i++)
        {
            if (i < parameters.Count)
            {
                locals[parameters[i].Name] = positional[i];
            }
            else if (macro.TakesVarargs)
            {
                extra.Add(positional[i]);
            }
            else
            {
                throw _source.Error(callOffset, $"macro '{macro.DisplayName}' takes {parameters.Count} argument{(parameters.Count == 1 ? "" : "s")} ({string.Join(", ", parameters.Select(p => p.Name))}), {positional.Count} given");
            }
        }

        var extraNamed = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (name, value) in named)
        {
            if (parameters.Any(p => p.Name == name))
            {
                if (!locals.TryAdd(name, value))
                {
                    throw _source.Error(callOffset, $"macro '{macro.DisplayName}' got the argument '{name}' twice, by position and by name");
                }
            }
            else if (macro.TakesKwargs)
            {
                extraNamed[name] = value;
            }
            else
            {
                var known = parameters.Count == 0 ? "it takes none" : $"its parameters are {string.Join(", ", parameters.Select(p => p.Name))}";
                throw _source.Error(callOffset, $"macro '{macro.DisplayName}' has no parameter '{name}'; {known}");
            }
        }

        locals["varargs"] = extra;
        locals["kwargs"] = extraNamed;
        return locals;
    }
}
