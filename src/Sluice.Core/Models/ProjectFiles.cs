using System.Buffers;
using System.Text;
using Sluice.Core.Project;
using Sluice.Core.Templating;

namespace Sluice.Core.Models;

/// <summary>Finding a project's files: sorted, so that every run sees them in the same order.</summary>
public static class ProjectFiles
{
    /// <summary>Files with one of <paramref name="extensions"/> under the project's <paramref name="folders"/>, recursively.</summary>
    public static IReadOnlyList<string> Find(string projectDirectory, IEnumerable<string> folders, params string[] extensions)
    {
        var files = new List<string>();
        foreach (var folder in folders.Distinct(StringComparer.Ordinal))
        {
            var root = Path.Combine(projectDirectory, folder);
            if (!Directory.Exists(root))
            {
                continue;
            }

            files.AddRange(Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
                .Where(f => extensions.Any(e => f.EndsWith(e, StringComparison.OrdinalIgnoreCase))));
        }

        files.Sort(StringComparer.Ordinal);
        return files;
    }

    /// <summary>
    /// The text of a project's SQL file. A file that is not UTF-8 text (binary data, another
    /// encoding without a byte order mark) or that holds a NUL character is an error naming the
    /// line and column of the first bad byte: read as it is, it would reach the templates and
    /// the engine as replacement characters and fail somewhere far from its cause, or not at all.
    /// A byte order mark (UTF-8, or UTF-16 and UTF-32 as editors on Windows write them) is honoured.
    /// </summary>
    public static string ReadText(string projectDirectory, string path)
    {
        var bytes = File.ReadAllBytes(path);
        var display = Relative(projectDirectory, path);
        string text;
        if (bytes is [0xFF, 0xFE, ..] or [0xFE, 0xFF, ..] or [0x00, 0x00, 0xFE, 0xFF, ..])
        {
            using var reader = new StreamReader(new MemoryStream(bytes), Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
            text = reader.ReadToEnd();
        }
        else
        {
            var start = bytes is [0xEF, 0xBB, 0xBF, ..] ? 3 : 0;
            var invalid = FirstInvalidUtf8(bytes.AsSpan(start));
            if (invalid >= 0)
            {
                var before = Encoding.UTF8.GetString(bytes, start, invalid);
                throw Error(display, before, before.Length, $"the file is not UTF-8 text (the byte 0x{bytes[start + invalid]:X2} here starts no valid UTF-8 character); save it as UTF-8, or move it out of the project's SQL folders.");
            }

            text = Encoding.UTF8.GetString(bytes, start, bytes.Length - start);
        }

        var nul = text.IndexOf('\0', StringComparison.Ordinal);
        return nul < 0
            ? text
            : throw Error(display, text, nul, "the file holds a NUL character, so it is not SQL text; remove the character, or move the file out of the project's SQL folders.");
    }

    /// <summary>A path relative to the project, with '/' separators, as messages and selectors show it.</summary>
    public static string Relative(string projectDirectory, string path) =>
        Path.GetRelativePath(projectDirectory, path).Replace(Path.DirectorySeparatorChar, '/');

    private static int FirstInvalidUtf8(ReadOnlySpan<byte> bytes)
    {
        for (var i = 0; i < bytes.Length;)
        {
            if (Rune.DecodeFromUtf8(bytes[i..], out _, out var consumed) != OperationStatus.Done)
            {
                return i;
            }

            i += consumed;
        }

        return -1;
    }

    private static ConfigurationException Error(string file, string text, int offset, string reason)
    {
        var position = new TemplateSource(file, text).PositionOf(offset);
        return new ConfigurationException($"{file}:{position.Line}:{position.Column}: {reason}");
    }
}
