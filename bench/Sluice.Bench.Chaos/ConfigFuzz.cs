using System.Text;

namespace Sluice.Bench.Chaos;

/// <summary>
/// Corrupts one file of a copy of the project at a time — a line deleted, doubled or moved, the
/// file cut short, bytes of garbage, a token replaced by a hostile value — and runs
/// <c>sluice compile</c> (and on DuckDB <c>sluice build</c>) on it. Whatever the damage, sluice
/// exits 0, 1 or 2 with no stack trace and no secret; a refusal (2) names a file of the project;
/// a model replaced by random bytes is refused.
/// </summary>
public static class ConfigFuzz
{
    private static readonly string[] Hostile =
    [
        "${NOT_SET_ANYWHERE}", $"${{{Demo.ApplyLens.ApplyLensProject.SourceUrlVariable}}}", "'; drop table raw.app__emails; --", "{{", "{% if %}", "{{ ref('nowhere') }}",
        "{{ source('app', 'nothing') }}", "\t", "-1", "99999999999999999999", new string('x', 10_000), "ü日本😀", "null", "[", "{", ":", "- -", "*", "\"", "'",
        "{{ var('missing') }}", "{% for %}", "{{ config(materialized='nope') }}", "~", "!!binary", "&anchor", "*alias", "0x10", "1e309",
    ];

    private enum Mutation
    {
        DeleteLine,
        DuplicateLine,
        SwapLines,
        Truncate,
        Garbage,
        RandomFile,
        Token,
        Indent,
    }

    public static async Task RunAsync(PipelineWorld world, int configs, Random random, ChaosTally tally, Action<string> log)
    {
        var files = Directory.EnumerateFiles(world.ProjectDirectory, "*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".yml", StringComparison.Ordinal) || f.EndsWith(".sql", StringComparison.Ordinal))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}target{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(f => Path.GetRelativePath(world.ProjectDirectory, f))
            .Order(StringComparer.Ordinal)
            .ToList();
        var copy = Path.Combine(world.Work, "fuzz");
        for (var round = 0; round < configs; round++)
        {
            Copy(world.ProjectDirectory, copy, withWarehouse: world.Kind == ChaosWarehouse.DuckDb);
            var file = files[random.Next(files.Count)];
            var mutation = (Mutation)random.Next(Enum.GetValues<Mutation>().Length);
            var path = Path.Combine(copy, file);
            File.WriteAllBytes(path, Mutate(File.ReadAllBytes(path), mutation, random));

            var problems = new List<string>();
            var commands = world.Kind == ChaosWarehouse.DuckDb ? new[] { "compile", "build" } : ["compile"];
            foreach (var command in commands)
            {
                var result = await world.Cli.RunAsync(copy, [command, .. command == "build" ? world.WindowOptions : []]);
                problems.AddRange(Judge(result, command, mutation, file, world.Secrets));
            }

            tally.Add(problems, $"{mutation} in {file}");
        }

        Directory.Delete(copy, recursive: true);
        log($"  {configs} corrupt configurations, {tally.Failed} failed");
    }

    private static List<string> Judge(CliResult result, string command, Mutation mutation, string file, IEnumerable<string> secrets)
    {
        var problems = OutputChecks.Problems(result.Output, secrets).Select(p => $"{command}: {p}").ToList();
        if (result.ExitCode is not (0 or 1 or 2))
        {
            problems.Add($"{command} exited {result.ExitCode}: {OutputChecks.Shorten(result.FirstError)}");
        }
        else if (result.ExitCode == 2 && !NamesAFile(result.Stderr))
        {
            problems.Add($"{command} refused without naming a file: {OutputChecks.Shorten(result.FirstError)}");
        }

        if (command == "compile" && mutation == Mutation.RandomFile && file.EndsWith(".sql", StringComparison.Ordinal) && result.ExitCode == 0)
        {
            problems.Add("compile passed a model made of random bytes");
        }

        return problems;
    }

    private static bool NamesAFile(string text) =>
        text.Contains(".yml", StringComparison.Ordinal) || text.Contains(".sql", StringComparison.Ordinal) || text.Contains(".yaml", StringComparison.Ordinal);

    private static byte[] Mutate(byte[] content, Mutation mutation, Random random)
    {
        var lines = Encoding.UTF8.GetString(content).Split('\n').ToList();
        var line = random.Next(lines.Count);
        switch (mutation)
        {
            case Mutation.DeleteLine:
                lines.RemoveAt(line);
                break;
            case Mutation.DuplicateLine:
                lines.Insert(line, lines[line]);
                break;
            case Mutation.SwapLines when lines.Count > 1:
                var other = random.Next(lines.Count);
                (lines[line], lines[other]) = (lines[other], lines[line]);
                break;
            case Mutation.Truncate:
                return content[..random.Next(content.Length + 1)];
            case Mutation.Garbage:
                var garbage = new byte[random.Next(1, 64)];
                random.NextBytes(garbage);
                var at = random.Next(content.Length + 1);
                return [.. content[..at], .. garbage, .. content[at..]];
            case Mutation.RandomFile:
                var bytes = new byte[3000];
                random.NextBytes(bytes);
                return bytes;
            case Mutation.Token:
                var words = lines[line].Split(' ');
                words[random.Next(words.Length)] = Hostile[random.Next(Hostile.Length)];
                lines[line] = string.Join(' ', words);
                break;
            case Mutation.Indent:
                lines[line] = random.Next(2) == 0 ? "  " + lines[line] : lines[line].TrimStart();
                break;
        }

        return Encoding.UTF8.GetBytes(string.Join('\n', lines));
    }

    private static void Copy(string from, string to, bool withWarehouse)
    {
        if (Directory.Exists(to))
        {
            Directory.Delete(to, recursive: true);
        }

        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(from, file);
            var isWarehouse = relative.StartsWith("warehouse.duckdb", StringComparison.Ordinal);
            if (relative.StartsWith("target", StringComparison.Ordinal) || (isWarehouse && !withWarehouse))
            {
                continue;
            }

            var target = Path.Combine(to, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
