using System.Text;

namespace Sluice.Bench;

/// <summary>The lines that open a benchmark's markdown section: when, where, with what, how, and under what load.</summary>
internal static class ReportHeader
{
    public static void Write(StringBuilder text, MachineInfo machine, string? revision, string software, string command, string? loadAtEnd, bool isDefaultSize)
    {
        text.AppendLine($"- Date: {machine.DateText}{(revision is null ? string.Empty : $", revision {revision}")}");
        text.AppendLine($"- Machine: {machine.Machine}");
        text.AppendLine($"- Software: {software}");
        text.AppendLine($"- Command: `{command}`");
        text.AppendLine($"- Load: {machine.LoadAtStart ?? "unknown"} at start, {loadAtEnd ?? "unknown"} at end (1/5/15 min)");
        if (!isDefaultSize)
        {
            text.AppendLine("- **Non-default sizes: a smoke test, not representative figures.**");
        }
    }
}
