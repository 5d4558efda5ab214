using System.CommandLine;
using System.Reflection;
using Sluice.Cli.Output;
using Sluice.Core.Models.Compatibility;
using Sluice.Core.Project;
using Sluice.Core.Warehouse;
using Sluice.Warehouses;
using Sluice.Warehouses.Metadata;

namespace Sluice.Cli.Tasks;

/// <summary>
/// <c>sluice debug</c>: shows the project and its warehouse and checks that the warehouse can be
/// reached. Each line is printed as soon as it is known, so a hang points at its cause. With
/// <c>--dbt</c>, it reads the project for what Sluice does not support instead, without opening
/// the warehouse.
/// </summary>
internal sealed class DebugTask(CliContext context)
{
    public static readonly Option<bool> Dbt = new("--dbt")
    {
        Description = "Instead of checking the warehouse, list every construct of the project that Sluice does not support, with its place, and summarize its packages, macros, overrides and dispatch orders.",
    };

    private const int LabelWidth = 16;

    public static Command CreateCommand(GlobalOptions globals)
    {
        var command = new Command("debug", "Show the project's settings and check the connection to its warehouse.") { Dbt };
        VerbRunner.SetAction(command, globals, "checking the warehouse failed", (parseResult, context, cancellationToken) =>
            new DebugTask(context).RunAsync(parseResult.GetValue(Dbt), cancellationToken));
        return command;
    }

    public async Task<int> RunAsync(bool dbt, CancellationToken cancellationToken)
    {
        var version = typeof(DebugTask).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
        await ShowAsync("sluice", version);
        await ShowAsync("project dir", context.ProjectDirectory);
        await ShowAsync("config", Path.Combine(context.ProjectDirectory, SluiceProject.FileName));

        var project = ProjectLoader.Load(context.ProjectDirectory);
        await ShowAsync("project", project.Name);
        await ShowAsync("warehouse", project.Warehouse.Type);
        if (dbt)
        {
            return await CompatibilityAsync(project);
        }

        await using var warehouse = WarehouseFactory.Create(project.Warehouse, project.Directory);
        await ShowAsync("location", warehouse.DisplayLocation);

        IWarehouseSession session;
        try
        {
            session = await warehouse.OpenSessionAsync(cancellationToken);
        }
        catch (WarehouseException e)
        {
            await ShowAsync("connection", "FAILED");
            // A refused login says where the password goes; the server, which answered, runs.
            ErrorReporter.WriteError(context, e.IsLoginRefused
                ? $"cannot log in to the warehouse: {ErrorReporter.FirstLine(e.Message)}."
                : $"cannot reach the warehouse: {ErrorReporter.FirstLine(e.Message)}; check that it is running and that `warehouse:` in {SluiceProject.FileName} points at it.");
            if (context.Verbose)
            {
                await context.Error.WriteLineAsync(SecretMasker.Mask(e.ToString()));
            }

            return e.IsLoginRefused ? ExitCodes.Usage : ExitCodes.Failure;
        }

        await using (session)
        {
            await ShowAsync("connection", "OK");
            await ShowAsync("engine", await session.GetEngineVersionAsync(cancellationToken));
            var schemaVersion = await MetadataSchema.GetVersionAsync(session, cancellationToken);
            var latest = MetadataSchema.LatestVersion;
            await ShowAsync($"{MetadataSchema.Name} schema", schemaVersion switch
            {
                0 => $"not created yet (this Sluice creates version {latest})",
                _ when schemaVersion == latest => $"version {schemaVersion} (latest)",
                _ when schemaVersion < latest => $"version {schemaVersion} (this Sluice upgrades it to {latest})",
                _ => $"version {schemaVersion}, newer than this Sluice understands ({latest})",
            });

            if (schemaVersion > latest)
            {
                ErrorReporter.WriteError(context, $"the warehouse's {MetadataSchema.Name} schema is version {schemaVersion}, newer than this Sluice understands ({latest}); upgrade Sluice.");
                return ExitCodes.Failure;
            }
        }

        return ExitCodes.Success;
    }

    // The report reads files only: it works on a project that does not parse, and with the warehouse down.
    private async Task<int> CompatibilityAsync(SluiceProject project)
    {
        await ShowAsync("project file", project.DbtProjectPath ?? Path.Combine(project.Directory, SluiceProject.FileName));
        var report = CompatibilityAnalysis.Run(project);
        CompatibilityOutput.WriteReport(context.Out, report, LabelWidth);
        if (report.Findings.Count == 0)
        {
            await context.Out.WriteLineAsync("\nSluice supports every construct this project uses.");
            return ExitCodes.Success;
        }

        var parts = new List<string>();
        if (report.Unsupported.Count > 0)
        {
            parts.Add($"{CompatibilityOutput.Count(report.Unsupported)} {(report.Unsupported.Count == 1 ? "is" : "are")} not supported by Sluice");
        }

        if (report.Unreadable.Count > 0)
        {
            parts.Add($"{report.Unreadable.Count} error{(report.Unreadable.Count == 1 ? "" : "s")} in files Sluice cannot read");
        }

        ErrorReporter.WriteError(context, $"{string.Join("; ", parts)} — listed above.");
        return ExitCodes.Usage;
    }

    private Task ShowAsync(string label, string value) =>
        context.Out.WriteLineAsync($"{label.PadRight(LabelWidth)}{SecretMasker.Mask(value)}");
}
