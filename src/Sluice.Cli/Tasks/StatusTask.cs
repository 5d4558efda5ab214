using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Sluice.Cli.Output;
using Sluice.Core.Models;
using Sluice.Core.Project;
using Sluice.Models.State;
using Sluice.Warehouses;
using Sluice.Warehouses.Metadata;
using Spectre.Console;

namespace Sluice.Cli.Tasks;

/// <summary>
/// <c>sluice status</c>: the invocations and failures of a recent window, each resource's latest
/// run and latest success, and the partitions missing in a range. Exits 1 when a resource needs
/// attention (its latest run failed or was skipped because of something upstream, or partitions
/// are missing), so that schedulers and monitors can act on it; a partition left alone because it
/// was built before needs none.
/// </summary>
internal sealed class StatusTask(CliContext context, ParseResult parseResult)
{
    private const int DefaultRangeDays = 7;
    private const int MaxErrorLength = 160;
    private const int MaxRangesShown = 6;

    private static readonly Option<string> SinceOption = new("--since")
    {
        Description = "How far back to list invocations and failures: a duration (24h, 7d, 90m) or a day (YYYY-MM-DD). Default: 24h.",
        HelpName = "when",
        DefaultValueFactory = _ => "24h",
    };

    public static Command CreateCommand(GlobalOptions globals)
    {
        var command = new Command("status", "Show recent runs, failures, each resource's last success and the partitions missing in a range (default: the 7 days before today).")
        {
            SinceOption, ModelOptions.From, ModelOptions.To, ModelOptions.Select, ModelOptions.Exclude, ModelOptions.Format,
        };
        VerbRunner.SetAction(command, globals, "reading the status failed", (parseResult, context, cancellationToken) =>
            new StatusTask(context, parseResult).RunAsync(cancellationToken));
        return command;
    }

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var now = DateTimeOffset.UtcNow;
        var since = Since(parseResult.GetRequiredValue(SinceOption), now);
        var (from, to) = Range(now);
        var project = ModelOptions.Parse(context, parseResult);
        var selected = ModelOptions.Selected(project, parseResult);

        await using var warehouse = WarehouseFactory.Create(project.Project.Warehouse, project.Project.Directory);
        StatusReport report;
        await using (var session = await warehouse.OpenSessionAsync(cancellationToken))
        {
            await MetadataSchema.MigrateAsync(session, cancellationToken: cancellationToken);
            report = await RunHistory.ReadAsync(session, project, selected, since, from, to, cancellationToken);
        }

        if (parseResult.GetRequiredValue(ModelOptions.Format) == "json")
        {
            await context.Out.WriteLineAsync(Json(report));
        }
        else
        {
            WriteTables(report);
        }

        var attention = report.Resources.Where(r => r.NeedsAttention).Select(r => r.Name).ToList();
        if (attention.Count == 0)
        {
            return ExitCodes.Success;
        }

        ErrorReporter.WriteError(context, $"{attention.Count} resource(s) need attention (latest run failed or skipped after an upstream failure, or partitions missing): {string.Join(", ", attention.Take(10))}{(attention.Count > 10 ? ", …" : string.Empty)}.");
        return ExitCodes.Failure;
    }

    private static DateTimeOffset Since(string text, DateTimeOffset now)
    {
        if (Durations.TryParse(text) is { } duration)
        {
            return now - duration;
        }

        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            return new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
            ? time
            : throw new ConfigurationException($"--since '{text}' is neither a duration nor a day; write 24h, 7d, 90m or a day such as 2025-01-15.");
    }

    // --from/--to when given; otherwise the days before today.
    private (DateOnly From, DateOnly To) Range(DateTimeOffset now)
    {
        if (parseResult.GetValue(ModelOptions.From) is not null || parseResult.GetValue(ModelOptions.To) is not null)
        {
            return ModelOptions.Days(parseResult);
        }

        var yesterday = DateOnly.FromDateTime(now.UtcDateTime).AddDays(-1);
        return (yesterday.AddDays(1 - DefaultRangeDays), yesterday);
    }

    private void WriteTables(StatusReport report)
    {
        var console = Consoles.For(context.Out, !Console.IsOutputRedirected && context.Out == Console.Out);
        console.WriteLine($"Invocations since {Time(report.Since)} UTC:");
        if (report.Invocations.Count == 0)
        {
            console.WriteLine("  none");
        }
        else
        {
            var invocations = Tables.Create(("invocation", false), ("started", false), ("finished", false), ("runs", true), ("ok", true), ("failed", true), ("skipped", true), ("already built", true), ("running", true));
            foreach (var i in report.Invocations)
            {
                invocations.AddRow(
                    Cell(i.InvocationId),
                    Cell(Time(i.StartedAt)),
                    Cell(i.CompletedAt is { } end ? Time(end) : "-"),
                    Cell(Count(i.Runs)),
                    Cell(Count(i.Succeeded)),
                    Cell(Count(i.Failed)),
                    Cell(Count(i.Skipped)),
                    Cell(Count(i.AlreadyBuilt)),
                    Cell(Count(i.Running)));
            }

            console.Write(invocations);
        }

        if (report.Failures.Count > 0)
        {
            console.WriteLine($"Failures since {Time(report.Since)} UTC:");
            var failures = Tables.Create(("failed at", false), ("resource", false), ("partition", false), ("error", false));
            foreach (var f in report.Failures)
            {
                failures.AddRow(Cell(Time(f.CompletedAt ?? f.StartedAt)), Cell(f.JobName), Cell(Day(f.TargetDate)), Cell(Shorten(f.ErrorMessage)));
            }

            console.Write(failures);
        }

        console.WriteLine($"Resources (partitions checked from {report.From:yyyy-MM-dd} to {report.To:yyyy-MM-dd}):");
        var resources = Tables.Create(("resource", false), ("kind", false), ("latest run", false), ("status", false), ("last success", false), ("rows", true), ("missing partitions", false));
        foreach (var r in report.Resources)
        {
            resources.AddRow(
                Cell(r.Name),
                Cell(r.Kind),
                Cell(r.LastRun is { } last ? Time(last.StartedAt) : "never"),
                Cell(r.LastRun is { } run ? RunHistory.Name(run.Status) : "-"),
                Cell(r.LastSuccess is { } success ? Time(success.CompletedAt ?? success.StartedAt) : "never"),
                Cell(r.LastSuccess is { } s ? Count(s.Rows.Processed) : "-"),
                Cell(Ranges(r.MissingPartitions)));
        }

        console.Write(resources);
    }

    private static string Json(StatusReport report)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("since", report.Since);
            json.WriteString("partitions_from", report.From.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            json.WriteString("partitions_to", report.To.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            json.WriteStartArray("invocations");
            foreach (var i in report.Invocations)
            {
                json.WriteStartObject();
                json.WriteString("invocation_id", i.InvocationId);
                json.WriteString("started_at", i.StartedAt);
                WriteTime(json, "completed_at", i.CompletedAt);
                json.WriteNumber("runs", i.Runs);
                json.WriteNumber("succeeded", i.Succeeded);
                json.WriteNumber("failed", i.Failed);
                json.WriteNumber("skipped", i.Skipped);
                json.WriteNumber("already_built", i.AlreadyBuilt);
                json.WriteNumber("running", i.Running);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartArray("failures");
            foreach (var f in report.Failures)
            {
                WriteRun(json, f);
            }

            json.WriteEndArray();
            json.WriteStartArray("resources");
            foreach (var r in report.Resources)
            {
                json.WriteStartObject();
                json.WriteString("name", r.Name);
                json.WriteString("kind", r.Kind);
                json.WriteBoolean("needs_attention", r.NeedsAttention);
                json.WritePropertyName("latest_run");
                WriteRun(json, r.LastRun);
                json.WritePropertyName("last_success");
                WriteRun(json, r.LastSuccess);
                json.WriteStartArray("missing_partitions");
                foreach (var p in r.MissingPartitions)
                {
                    json.WriteStringValue(p.Start.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                }

                json.WriteEndArray();
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void WriteRun(Utf8JsonWriter json, JobRun? run)
    {
        if (run is null)
        {
            json.WriteNullValue();
            return;
        }

        json.WriteStartObject();
        json.WriteString("id", run.Id);
        json.WriteString("invocation_id", run.InvocationId);
        json.WriteString("job_name", run.JobName);
        json.WriteString("kind", run.Kind);
        json.WriteString("status", RunHistory.Name(run.Status));
        if (run.TargetDate is { } target)
        {
            json.WriteString("target_date", target.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        }
        else
        {
            json.WriteNull("target_date");
        }

        json.WriteNumber("rows_processed", run.Rows.Processed);
        json.WriteNumber("rows_inserted", run.Rows.Inserted);
        json.WriteNumber("rows_updated", run.Rows.Updated);
        json.WriteNumber("rows_deleted", run.Rows.Deleted);
        if (run.DurationMs is { } duration)
        {
            json.WriteNumber("duration_ms", duration);
        }
        else
        {
            json.WriteNull("duration_ms");
        }

        json.WriteString("error_message", run.ErrorMessage);
        json.WriteString("started_at", run.StartedAt);
        WriteTime(json, "completed_at", run.CompletedAt);
        json.WriteString("superseded_by", run.SupersededBy);
        json.WriteString("skip_reason", run.SkipReason is { } reason ? SkipReasons.Name(reason) : null);
        json.WriteEndObject();
    }

    private static void WriteTime(Utf8JsonWriter json, string name, DateTimeOffset? time)
    {
        if (time is { } value)
        {
            json.WriteString(name, value);
        }
        else
        {
            json.WriteNull(name);
        }
    }

    // Consecutive partitions shown as one range: 2025-01-03..2025-01-05, 2025-01-09.
    private static string Ranges(IReadOnlyList<DatePartition> missing)
    {
        if (missing.Count == 0)
        {
            return "-";
        }

        var ranges = new List<string>();
        var start = 0;
        for (var i = 1; i <= missing.Count; i++)
        {
            if (i < missing.Count && missing[i].Start == missing[i - 1].End)
            {
                continue;
            }

            ranges.Add(i - 1 == start ? Day(missing[start].Start) : $"{Day(missing[start].Start)}..{Day(missing[i - 1].Start)}");
            start = i;
        }

        var shown = string.Join(", ", ranges.Take(MaxRangesShown)) + (ranges.Count > MaxRangesShown ? ", …" : string.Empty);
        return $"{Count(missing.Count)}: {shown}";
    }

    private static Text Cell(string text) => new(text);

    private static string Shorten(string? error)
    {
        var line = (error ?? string.Empty).Split('\n')[0].Trim();
        return line.Length <= MaxErrorLength ? line : line[..(MaxErrorLength - 1)] + "…";
    }

    private static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    private static string Day(DateOnly? day) => day?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "-";

    private static string Count(long value) => Tables.Count(value);
}
