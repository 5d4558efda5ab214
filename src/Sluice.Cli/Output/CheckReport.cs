using System.Text;
using System.Text.Json;
using Sluice.Checks;
using Sluice.Models.Run;
using Spectre.Console;

namespace Sluice.Cli.Output;

/// <summary>The end of <c>sluice test</c> and <c>sluice build</c>: a table of the checks that did not pass and the counts, or the whole outcome as JSON for CI.</summary>
internal static class CheckReport
{
    private const int MaxMessageLength = 100;

    // Failing rows shown under the table per check, and the width of a value there; JSON has the whole sample.
    private const int SampleRowsShown = 3;
    private const int MaxValueLength = 40;

    /// <summary>Counts by status: "12 passed, 1 warned, 2 failed, 0 errors, 0 skipped".</summary>
    public static string Counts(IReadOnlyCollection<CheckResult> results) =>
        $"{results.Count(r => r.Status == CheckStatus.Pass)} passed, {results.Count(r => r.Status == CheckStatus.Warn)} warned, " +
        $"{results.Count(r => r.Status == CheckStatus.Fail)} failed, {results.Count(r => r.Status == CheckStatus.Error)} errors, {results.Count(r => r.Status == CheckStatus.Skipped)} skipped";

    /// <summary>
    /// Writes the table of checks that did not pass, worst first, to <paramref name="output"/>, and
    /// a few of the failing rows of each. Nothing when the only checks that did not pass were
    /// skipped (a build with nothing new skips them all): the counts say so.
    /// </summary>
    public static void WriteTable(TextWriter output, bool isTerminal, IReadOnlyCollection<CheckResult> results)
    {
        var notPassed = results.Where(r => r.Status != CheckStatus.Pass)
            .OrderBy(r => r.Status switch { CheckStatus.Error => 0, CheckStatus.Fail => 1, CheckStatus.Warn => 2, _ => 3 })
            .ThenBy(r => r.Check.Name, StringComparer.Ordinal)
            .ToList();
        if (notPassed.All(r => r.Status == CheckStatus.Skipped))
        {
            return;
        }

        var console = Consoles.For(output, isTerminal);
        var table = Tables.Create(("check", false), ("on", false), ("status", false), ("failing", true), ("in scope", true), ("ratio", true), ("why", false));
        foreach (var result in notPassed)
        {
            var check = result.Check;
            table.AddRow(
                new Text(check.Name),
                new Text(check.Target is null ? "-" : check.Target.DisplayName + (check.Column is null ? string.Empty : $".{check.Column}")),
                new Text(CheckProgress.Status(result.Status)),
                new Text(result.FailingRows is { } failing ? Tables.Count(failing) : "-"),
                new Text(result.RowsInScope is { } rows ? Tables.Count(rows) : "-"),
                new Text(result.FailingRatio is { } ratio ? ratio.ToString("P2", System.Globalization.CultureInfo.InvariantCulture) : "-"),
                new Text(Shorten(result.Message)));
        }

        console.Write(table);
        WriteSamples(output, notPassed);
    }

    // A few failing rows of each check that failed or warned, one line each, values as JSON has them.
    private static void WriteSamples(TextWriter output, IReadOnlyList<CheckResult> results)
    {
        var sampled = results
            .Where(r => r.Status is CheckStatus.Fail or CheckStatus.Warn && r.FailingRows > 0 && r.Sample is not null)
            .Select(r => (Result: r, Rows: SampleRows(r.Sample!)))
            .Where(s => s.Rows.Count > 0)
            .ToList();
        if (sampled.Count == 0)
        {
            return;
        }

        output.WriteLine();
        output.WriteLine($"Failing rows (up to {SampleRowsShown} a check; --format json has the whole sample):");
        foreach (var (result, rows) in sampled)
        {
            var shown = Math.Min(SampleRowsShown, rows.Count);
            output.WriteLine($"  {result.Check.Name} ({shown} of {Tables.Count(result.FailingRows!.Value)}):");
            foreach (var row in rows.Take(SampleRowsShown))
            {
                output.WriteLine($"    {row}");
            }
        }
    }

    // The sample's rows as "name: value, name: value".
    private static List<string> SampleRows(string sample)
    {
        using var document = JsonDocument.Parse(sample);
        if (document.RootElement.ValueKind != JsonValueKind.Array)
        {
            return [];
        }

        return [.. document.RootElement.EnumerateArray()
            .Where(row => row.ValueKind == JsonValueKind.Object)
            .Select(row => string.Join(", ", row.EnumerateObject().Select(p => $"{p.Name}: {Value(p.Value)}")))];
    }

    private static string Value(JsonElement value)
    {
        var text = value.ValueKind switch
        {
            JsonValueKind.String => value.GetString() ?? string.Empty,
            JsonValueKind.Null => "null",
            _ => value.GetRawText(),
        };
        text = text.ReplaceLineEndings(" ");
        return text.Length <= MaxValueLength ? text : text[..(MaxValueLength - 1)] + "…";
    }

    /// <summary>The outcome as one JSON document: models (for build), checks with their samples, and counts.</summary>
    public static string Json(string invocationId, IReadOnlyList<NodeResult>? models, IReadOnlyList<CheckResult> checks)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("invocation_id", invocationId);
            if (models is not null)
            {
                json.WriteStartArray("models");
                foreach (var model in models)
                {
                    json.WriteStartObject();
                    json.WriteString("name", model.Name);
                    json.WriteString("status", model.Status.ToString().ToLowerInvariant());
                    json.WriteNumber("rows", model.Rows.Processed);
                    json.WriteNumber("duration_ms", (long)model.Duration.TotalMilliseconds);
                    json.WriteString("error", model.Error);
                    json.WriteEndObject();
                }

                json.WriteEndArray();
            }

            json.WriteStartArray("checks");
            foreach (var result in checks)
            {
                WriteCheck(json, result);
            }

            json.WriteEndArray();
            json.WriteStartObject("summary");
            foreach (var status in Enum.GetValues<CheckStatus>())
            {
                json.WriteNumber(status.ToString().ToLowerInvariant(), checks.Count(r => r.Status == status));
            }

            json.WriteEndObject();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void WriteCheck(Utf8JsonWriter json, CheckResult result)
    {
        var check = result.Check;
        json.WriteStartObject();
        json.WriteString("name", check.Name);
        json.WriteString("type", check.Type);
        json.WriteString("model", check.Target?.DisplayName);
        json.WriteString("column", check.Column);
        json.WriteString("severity", check.Severity.ToString().ToLowerInvariant());
        json.WriteString("status", result.StatusName);
        WriteNumber(json, "failing_rows", result.FailingRows);
        WriteNumber(json, "rows_in_scope", result.RowsInScope);
        if (result.FailingRatio is { } ratio)
        {
            json.WriteNumber("failing_ratio", ratio);
        }
        else
        {
            json.WriteNull("failing_ratio");
        }

        if (check.Mostly is { } mostly)
        {
            json.WriteNumber("mostly", mostly);
        }

        json.WriteString("scope", result.Scope);
        json.WriteString("message", result.Message);
        json.WritePropertyName("sample");
        if (result.Sample is { } sample)
        {
            json.WriteRawValue(sample);
        }
        else
        {
            json.WriteNullValue();
        }

        json.WriteString("location", check.Location);
        json.WriteNumber("duration_ms", (long)result.Duration.TotalMilliseconds);
        json.WriteEndObject();
    }

    private static void WriteNumber(Utf8JsonWriter json, string name, long? value)
    {
        if (value is { } number)
        {
            json.WriteNumber(name, number);
        }
        else
        {
            json.WriteNull(name);
        }
    }

    private static string Shorten(string? message)
    {
        var line = (message ?? string.Empty).Split('\n')[0].Trim();
        return line.Length <= MaxMessageLength ? line : line[..(MaxMessageLength - 1)] + "…";
    }
}
