using System.CommandLine;
using System.Globalization;
using Sluice.Cli.Output;
using Sluice.Sync.Engine;
using Sluice.Sync.Parity;
using Spectre.Console;

namespace Sluice.Cli.Tasks;

/// <summary>
/// <c>sluice parity</c>: compares each source table with its raw table (total live rows, and per
/// day with checksums of the keys), prints what differs, and with <c>--repair</c> re-syncs only
/// the days that differ. Exits 1 while any difference remains.
/// </summary>
internal sealed class ParityTask(CliContext context, SyncOptions options)
{
    private const int MaxDaysShown = 20;

    private static readonly Option<string?> SourceOption = new("--source", "-s") { Description = "Check only this source.", HelpName = "name" };
    private static readonly Option<string?> TableOption = new("--table", "-t") { Description = "Check only this table (even one with `parity: false`).", HelpName = "name" };
    private static readonly Option<bool> RepairOption = new("--repair") { Description = "Sync, then re-read the days that differ (or the whole table without a date column) and merge them by key." };

    public static Command CreateCommand(GlobalOptions globals)
    {
        var command = new Command("parity", "Compare the sources' tables with the warehouse: live rows in total and per day, with key checksums.")
        {
            SourceOption, TableOption, RepairOption,
        };
        VerbRunner.SetAction(command, globals, "the parity check failed", (parseResult, context, cancellationToken) =>
            new ParityTask(context, new SyncOptions(parseResult.GetValue(SourceOption), parseResult.GetValue(TableOption) is { } table ? [table] : null)
            {
                ParityOnly = true,
                Repair = parseResult.GetValue(RepairOption),
            }).RunAsync(cancellationToken));
        return command;
    }

    /// <summary>One word or phrase for a table's parity in summaries.</summary>
    public static string Describe(ParityReport? report) => report switch
    {
        null => "-",
        { Matches: true } => "ok",
        { MismatchedDays.Count: > 0 } r => $"{r.MismatchedDays.Count.ToString(CultureInfo.InvariantCulture)} day(s) differ",
        _ => "totals differ",
    };

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var results = await SyncTask.RunWithProgressAsync(context, options, cancellationToken);
        var console = Consoles.For(context.Out, !Console.IsOutputRedirected && context.Out == Console.Out);
        var summary = Tables.Create(("table", false), ("days", true), ("source rows", true), ("warehouse rows", true), ("days differing", true), ("parity", false));
        var differing = Tables.Create(("table", false), ("day", false), ("source rows", true), ("warehouse rows", true), ("mismatches", true), ("keys", false));

        foreach (var r in results)
        {
            var report = r.Parity;
            summary.AddRow(
                $"{r.Source}.{r.Table}",
                report?.DateColumn is null ? "-" : Count(report.Days.Count),
                report is null ? "-" : Count(report.Total.SourceCount),
                report is null ? "-" : Count(report.Total.WarehouseCount),
                report?.DateColumn is null ? "-" : Count(report.MismatchedDays.Count),
                r.Status == SyncStatus.Failed ? "FAILED" : Describe(report));
            foreach (var day in report is null ? [] : report.MismatchedDays.Take(MaxDaysShown).Prepend(report.Total).Where(d => !d.Matches))
            {
                differing.AddRow(
                    $"{r.Source}.{r.Table}",
                    day.Day?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "total",
                    Count(day.SourceCount),
                    Count(day.WarehouseCount),
                    Count(day.Mismatches),
                    day.SourceChecksum == day.WarehouseChecksum ? "same" : "differ");
            }

            if (report is not null && report.MismatchedDays.Count > MaxDaysShown)
            {
                differing.AddRow($"{r.Source}.{r.Table}", $"… {Count(report.MismatchedDays.Count - MaxDaysShown)} more in _sluice.parity_checks", "", "", "", "");
            }
        }

        console.Write(summary);
        if (differing.Rows.Count > 0)
        {
            console.Write(differing);
        }

        foreach (var failed in results.Where(r => r.Status == SyncStatus.Failed))
        {
            ErrorReporter.WriteError(context, failed.Error ?? $"{failed.Source}.{failed.Table} failed.");
        }

        if (results.Any(r => r.Status == SyncStatus.Failed))
        {
            return results.Any(r => r.Status == SyncStatus.Failed && !r.IsUserFault) ? ExitCodes.Failure : ExitCodes.Usage;
        }

        if (results.Any(r => r.Parity is { Matches: false }))
        {
            ErrorReporter.WriteError(context, options.Repair
                ? "some tables still differ from their source after the repair; the source may be changing while it runs: run `sluice parity` again when it is quiet."
                : "some tables differ from their source; run `sluice parity --repair` to re-sync the days that differ.");
            return ExitCodes.Failure;
        }

        return ExitCodes.Success;
    }

    private static string Count(long value) => Tables.Count(value);
}
