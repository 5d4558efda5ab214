using Sluice.Core.Templating;

namespace Sluice.Core.Models.Compatibility;

/// <summary>The calls of the context's functions whose arguments Sluice can judge without running them.</summary>
internal sealed partial class TemplateCheck
{
    private void Call(CallExpression call, TemplateScope scope, Place place)
    {
        switch (call.Callee)
        {
            case NameExpression { Name: "ref" } when !scope.Contains("ref") && names.IsGlobal("ref", place.Package):
                Ref(call, place);
                break;
            case NameExpression { Name: "config" } when !scope.Contains("config") && names.IsGlobal("config", place.Package):
                foreach (var (key, value) in call.Arguments.Named)
                {
                    if (ConfigProblem(NodeConfig.NormalizeKey(key), value is LiteralExpression { Value: string text } ? text : null, place.Use == Use.Model) is var (construct, advice))
                    {
                        Add(place, value.Offset, construct, advice);
                    }
                }

                break;
            case AttributeExpression { Name: "dispatch", Target: NameExpression { Name: "adapter" } } when !scope.Contains("adapter") && names.IsGlobal("adapter", place.Package):
                Dispatch(call, place);
                break;
        }
    }

    private void Ref(CallExpression call, Place place)
    {
        if (call.Arguments.Named.FirstOrDefault(n => n.Name is "v" or "version") is { Value: not null } version)
        {
            Add(place, call.Offset, "ref() with a version", "model versions are not supported; give each version its own model name and ref() that name");
        }

        if (call.Arguments.Positional is [LiteralExpression { Value: string package }, _] && package != names.Macros.RootPackage)
        {
            Add(place, call.Offset, $"ref('{package}', …)", $"Sluice resolves ref() within the project '{names.Macros.RootPackage}'; ref the model by its name alone");
        }
    }

    /// <summary>
    /// What is wrong with setting the config <paramref name="key"/> (normalized) to
    /// <paramref name="text"/> (null when it is not a string) on a model when <paramref name="model"/>,
    /// else on a seed, snapshot or test; null when Sluice takes it.
    /// </summary>
    internal static (string Construct, string Advice)? ConfigProblem(string key, string? text, bool model)
    {
        if (ModelConfig.UnsupportedKeys.TryGetValue(key, out var instead))
        {
            return ($"config '{key}'", $"not supported by Sluice; {instead}");
        }

        if (text is null || !ModelConfig.Choices.TryGetValue(key, out var choices) || (key == "materialized" && !model)
            || choices.Contains(text.ToLowerInvariant()) || text.Contains("{{", StringComparison.Ordinal))
        {
            return null;
        }

        return ($"{key} '{text}'", key == "materialized"
            ? $"custom materializations are not supported; Sluice builds {string.Join(", ", choices)}"
            : $"Sluice's {key} is one of {string.Join(", ", choices)}");
    }

    private void Dispatch(CallExpression call, Place place)
    {
        if (call.Arguments.Positional.FirstOrDefault() is not LiteralExpression { Value: string macro })
        {
            return;
        }

        var space = call.Arguments.Positional.Skip(1).FirstOrDefault() ?? call.Arguments.Named.FirstOrDefault(n => n.Name == "macro_namespace").Value;
        if (space is not null and not LiteralExpression { Value: string or null })
        {
            return;
        }

        var spaceName = (space as LiteralExpression)?.Value as string;
        var construct = $"adapter.dispatch('{macro}'{(spaceName is null ? "" : $", '{spaceName}'")})";
        if (names.Macros.Implementation(macro, spaceName, place.Package) is { } found)
        {
            Reach(found);
        }
        else if (spaceName is not null && !names.Macros.Packages.Contains(spaceName) && names.Macros.MissingNamespace(spaceName, macro) is { } missing)
        {
            Add(place, call.Offset, construct, missing);
        }
        else
        {
            Add(place, call.Offset, construct, $"no implementation for {names.Macros.Adapter}: define {names.Macros.Adapter}__{macro} or default__{macro} in macros/");
        }
    }
}
