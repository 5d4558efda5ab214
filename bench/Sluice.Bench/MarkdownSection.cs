using System.Text;

namespace Sluice.Bench;

/// <summary>
/// Replaces one benchmark's section of a shared markdown file, between
/// <c>&lt;!-- bench:name --&gt;</c> and <c>&lt;!-- /bench:name --&gt;</c>, and leaves everything else
/// as it was, so that several benchmarks (and hand-written prose) can share the file.
/// </summary>
internal static class MarkdownSection
{
    private const string Header = """
        # Benchmarks

        Figures measured by the programs under `bench/`. Each section below is rewritten by its
        benchmark between its `<!-- bench:... -->` marker comments; edit only outside the markers.

        """;

    public static void Write(string path, string name, string content)
    {
        var start = $"<!-- bench:{name} -->";
        var end = $"<!-- /bench:{name} -->";
        var section = $"{start}\n{content.TrimEnd()}\n{end}";
        var existing = File.Exists(path) ? File.ReadAllText(path) : Header;

        var from = existing.IndexOf(start, StringComparison.Ordinal);
        var to = from < 0 ? -1 : existing.IndexOf(end, from, StringComparison.Ordinal);
        if (from >= 0 && to < 0)
        {
            throw new InvalidDataException($"{path} has {start} without {end}; fix the markers by hand rather than lose text.");
        }

        var updated = from < 0
            ? existing.TrimEnd() + "\n\n" + section + "\n"
            : string.Concat(existing.AsSpan(0, from), section, existing.AsSpan(to + end.Length));

        // Written beside the target and moved over it, so an interrupted run leaves the old file intact.
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(directory);
        var temporary = Path.Combine(directory, $".{Path.GetFileName(path)}.{Environment.ProcessId}.tmp");
        File.WriteAllText(temporary, updated, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        File.Move(temporary, path, overwrite: true);
    }
}
