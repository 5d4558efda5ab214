using Sluice.Core.Templating;

namespace Sluice.Core.Models;

/// <summary>The dbt functions that need nothing but their arguments and the environment.</summary>
public static class DbtFunctions
{
    /// <summary><c>env_var('NAME')</c> or <c>env_var('NAME', 'default')</c>: an unset variable without a default is an error.</summary>
    public static TemplateFunction EnvVar(Func<string, string?> environment) => call =>
    {
        var name = call.String(0, "var");
        if (environment(name) is { } value)
        {
            return value;
        }

        var fallback = call.Argument(1, "default", TemplateValues.Missing);
        return fallback != TemplateValues.Missing
            ? fallback
            : throw call.Error($"env_var('{name}'): the environment variable is not set; set it, or give a default as env_var('{name}', 'value')");
    };
}
