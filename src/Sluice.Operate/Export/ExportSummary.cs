using System.Globalization;
using System.Text.Json;
using Sluice.Warehouses.Values;

namespace Sluice.Operate.Export;

/// <summary>
/// What an export did, written last to <see cref="FileName"/> in the export folder (atomically,
/// as the data files are) for scripts and CI to read: per model its file, rows, key, status and
/// error, and the totals.
/// </summary>
/// <param name="Request">What was asked.</param>
/// <param name="Engine">The warehouse's engine.</param>
/// <param name="StartedAt">When the export started.</param>
/// <param name="FinishedAt">When it finished.</param>
/// <param name="Models">Each model's export, in the order they ran.</param>
/// <param name="Skipped">Selected resources with nothing to export.</param>
public sealed record ExportSummary(
    ExportRequest Request, string Engine, DateTimeOffset StartedAt, DateTimeOffset FinishedAt, IReadOnlyList<ModelExport> Models, IReadOnlyList<SkippedModel> Skipped)
{
    /// <summary>The summary's file name in the export folder.</summary>
    public const string FileName = "export-summary.json";

    /// <summary>How many models were exported.</summary>
    public int Exported => Models.Count(m => m.Status == ExportStatus.Exported);

    /// <summary>How many models failed.</summary>
    public int Failed => Models.Count(m => m.Status == ExportStatus.Failed);

    /// <summary>The rows written, over all models.</summary>
    public long TotalRows => Models.Sum(m => m.Rows ?? 0);

    /// <summary>The summary as indented JSON, ending with a line feed.</summary>
    public byte[] ToJson()
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, JsonValueWriter.Options with { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("started_at", Time(StartedAt));
            json.WriteString("finished_at", Time(FinishedAt));
            json.WriteString("warehouse", Engine);
            json.WriteString("format", ExportFormats.Name(Request.Format));
            json.WriteString("directory", Request.Directory);
            Strings(json, "select", Request.Select);
            Strings(json, "exclude", Request.Exclude);
            Day(json, "from", Request.Range?.From);
            Day(json, "to", Request.Range?.To);
            json.WriteNumber("exported", Exported);
            json.WriteNumber("failed", Failed);
            json.WriteNumber("total_rows", TotalRows);
            json.WriteStartArray("models");
            foreach (var model in Models)
            {
                Model(json, model);
            }

            json.WriteEndArray();
            json.WriteStartArray("skipped");
            foreach (var skipped in Skipped)
            {
                json.WriteStartObject();
                json.WriteString("model", skipped.Name);
                json.WriteString("reason", skipped.Reason);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        buffer.WriteByte((byte)'\n');
        return buffer.ToArray();
    }

    private static void Model(Utf8JsonWriter json, ModelExport model)
    {
        var target = model.Target;
        json.WriteStartObject();
        json.WriteString("model", target.Name);
        json.WriteString("kind", target.KindName);
        json.WriteString("relation", target.Relation.ToString());
        json.WriteString("file", target.FileName);
        json.WriteString("status", model.Status == ExportStatus.Exported ? "exported" : "failed");
        Number(json, "rows", model.Rows);
        Number(json, "bytes", model.Bytes);
        Strings(json, "id_columns", target.KeyColumns);
        if (target.Range is { } range)
        {
            json.WriteStartObject("range");
            json.WriteString("column", target.PartitionColumn);
            json.WriteString("from", DayRange.Text(range.From));
            json.WriteString("to", DayRange.Text(range.To));
            json.WriteEndObject();
        }
        else
        {
            json.WriteNull("range");
        }

        json.WriteNumber("seconds", Math.Round(model.Duration.TotalSeconds, 3));
        if (model.Error is null)
        {
            json.WriteNull("error");
        }
        else
        {
            json.WriteString("error", model.Error);
        }

        if (target.Note is { } note)
        {
            json.WriteString("note", note);
        }

        json.WriteEndObject();
    }

    private static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static void Strings(Utf8JsonWriter json, string name, IEnumerable<string> values)
    {
        json.WriteStartArray(name);
        foreach (var value in values)
        {
            json.WriteStringValue(value);
        }

        json.WriteEndArray();
    }

    private static void Day(Utf8JsonWriter json, string name, DateOnly? day)
    {
        if (day is { } value)
        {
            json.WriteString(name, DayRange.Text(value));
        }
        else
        {
            json.WriteNull(name);
        }
    }

    private static void Number(Utf8JsonWriter json, string name, long? value)
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
}
