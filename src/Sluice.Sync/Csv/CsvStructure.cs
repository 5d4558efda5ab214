using Sluice.Core.Sync;

namespace Sluice.Sync.Csv;

/// <summary>
/// Finds the first line of a CSV file that breaks its structure (a field count that differs
/// from the first record's, a quote never closed), to point at it when the reader only says
/// that the file cannot be read.
/// </summary>
internal static class CsvStructure
{
    /// <summary>The line and the problem, or null when every record has the same number of fields.</summary>
    public static (int Line, string Problem)? FindProblem(string path, CsvFormat format)
    {
        using var reader = new StreamReader(path);
        var line = 1;
        int? expected = null;
        int c;
        var fields = 1;
        var inQuotes = false;
        var recordLine = 1;
        var atRecordStart = true;
        while ((c = reader.Read()) >= 0)
        {
            if (atRecordStart)
            {
                recordLine = line;
                atRecordStart = false;
            }

            if (inQuotes)
            {
                if (c == format.Quote)
                {
                    if (reader.Peek() == format.Quote)
                    {
                        reader.Read();
                    }
                    else
                    {
                        inQuotes = false;
                    }
                }
                else if (c == '\n')
                {
                    line++;
                }

                continue;
            }

            if (c == format.Quote)
            {
                inQuotes = true;
            }
            else if (c == format.Delimiter)
            {
                fields++;
            }
            else if (c == '\n')
            {
                if (expected is null)
                {
                    expected = fields;
                }
                else if (fields != expected)
                {
                    return (recordLine, $"expected {expected} fields, found {fields}");
                }

                fields = 1;
                line++;
                atRecordStart = true;
            }
        }

        if (inQuotes)
        {
            return (recordLine, $"a quoted field opened here is never closed (quote character {format.Quote})");
        }

        return !atRecordStart && expected is not null && fields != expected ? (recordLine, $"expected {expected} fields, found {fields}") : null;
    }
}
