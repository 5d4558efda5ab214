using System.Text.Json;
using Sluice.Operate.Schedules;

namespace Sluice.Cli.Tasks;

/// <summary>
/// What <c>sluice schedule</c> logs: one JSON object per line on standard error (what journald
/// and log collectors read), for the scheduler's events and for each line its commands write.
/// </summary>
internal sealed class ScheduleLog(TextWriter writer, TimeProvider clock)
{
    private readonly Lock _gate = new();

    /// <summary>Logs a schedule's event; never throws.</summary>
    public void Event(ScheduleEvent e) => Write(new Dictionary<string, object?>
    {
        ["event"] = e.Kind switch
        {
            ScheduleEventKind.TimedOut => "timed_out",
            var kind => kind.ToString().ToLowerInvariant(),
        },
        ["schedule"] = e.Schedule,
        ["run_id"] = e.RunId,
        ["reason"] = e.Reason,
        ["tick"] = e.Tick,
        ["attempt"] = e.Attempt,
        ["exit_code"] = e.ExitCode,
        ["message"] = e.Message,
    }, e.At);

    /// <summary>Logs anything else: <paramref name="name"/> and its fields.</summary>
    public void Write(string name, IReadOnlyDictionary<string, object?> fields)
    {
        var line = new Dictionary<string, object?> { ["event"] = name };
        foreach (var (key, value) in fields)
        {
            line[key] = value;
        }

        Write(line, clock.GetUtcNow());
    }

    /// <summary>A writer that logs each line written to it as an <c>output</c> event of <paramref name="command"/>, and passes it on to <paramref name="inner"/>.</summary>
    public TextWriter Lines(string command, string stream, TextWriter inner) => new LineWriter(this, command, stream, inner);

    private void Write(Dictionary<string, object?> fields, DateTimeOffset at)
    {
        var line = new Dictionary<string, object?> { ["time"] = at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture) };
        foreach (var (key, value) in fields)
        {
            if (value is not null)
            {
                line[key] = value;
            }
        }

        try
        {
            var text = JsonSerializer.Serialize(line);
            lock (_gate)
            {
                writer.WriteLine(text);
                writer.Flush();
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            // A closed log does not stop the schedules.
        }
    }

    private sealed class LineWriter(ScheduleLog log, string command, string stream, TextWriter inner) : TextWriter
    {
        private readonly System.Text.StringBuilder _line = new();

        public override System.Text.Encoding Encoding => inner.Encoding;

        public override void Write(char value)
        {
            inner.Write(value);
            if (value == '\n')
            {
                Flush();
            }
            else if (value != '\r')
            {
                _line.Append(value);
            }
        }

        public override void Flush()
        {
            if (_line.Length > 0)
            {
                log.Write("output", new Dictionary<string, object?> { ["command"] = command, ["stream"] = stream, ["line"] = _line.ToString() });
                _line.Clear();
            }

            inner.Flush();
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                Flush();
            }

            base.Dispose(disposing);
        }
    }
}
