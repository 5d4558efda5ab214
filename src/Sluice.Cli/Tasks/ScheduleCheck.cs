using Sluice.Core.Graph;
using Sluice.Core.Models;
using Sluice.Core.Project;
using Sluice.Operate.Schedules;

namespace Sluice.Cli.Tasks;

/// <summary>
/// Checks the commands of a project's schedules before any of them runs, so that a mistake stops
/// the start (exit 2, at its line of sluice.yml) instead of failing at 03:15 a week later:
/// each command line must parse as sluice's own, and its model selectors must match models.
/// </summary>
internal static class ScheduleCheck
{
    private static readonly string[] ModelCommands = ["run", "build", "test", "seed", "snapshot", "backfill", "export"];

    /// <summary>Throws a <see cref="ConfigurationException"/> at the first step that would not run.</summary>
    public static void Check(SluiceProject project, IReadOnlyList<Schedule> schedules)
    {
        ParsedProject? models = null;
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        foreach (var schedule in schedules)
        {
            foreach (var step in schedule.Steps)
            {
                var at = $"{project.ConfigPath}:{step.Line}: schedule '{schedule.Name}': `{step.Text}`";
                var parsed = SluiceCli.Parse([step.Command, .. step.ArgumentsOn(today)]);
                if (parsed.Errors.Count > 0)
                {
                    throw new ConfigurationException($"{at}: {parsed.Errors[0].Message.TrimEnd('.')}; fix the command (`sluice {step.Command} --help` lists its options).");
                }

                if (!ModelCommands.Contains(step.Command))
                {
                    continue;
                }

                var select = parsed.GetValue(ModelOptions.Select) ?? [];
                var exclude = parsed.GetValue(ModelOptions.Exclude) ?? [];
                if (select.Length + exclude.Length == 0)
                {
                    continue;
                }

                models ??= ProjectParser.Parse(project);
                try
                {
                    NodeSelector.Select(models.Graph, select, exclude);
                }
                catch (ConfigurationException e)
                {
                    throw new ConfigurationException($"{at}: {e.Message.TrimEnd('.')}; fix the selector (`sluice ls` lists the models).", e);
                }
            }
        }
    }
}
