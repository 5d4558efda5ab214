using System.CommandLine;
using System.Globalization;
using Sluice.Core.Graph;
using Sluice.Core.Models;
using Sluice.Core.Project;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Sluice.Cli.Tasks;

/// <summary>The options the model verbs share (<c>--select</c>, <c>--exclude</c>, <c>--vars</c>, dates), and reading the project with them.</summary>
internal static class ModelOptions
{
    public static readonly Option<string[]> Select = new("--select", "-s")
    {
        Description = "What to include, in dbt's syntax: names, +m, m+, tag:x, path:models/marts, config.materialized:table; spaces unite, commas intersect.",
        AllowMultipleArgumentsPerToken = true,
        HelpName = "selector",
    };

    public static readonly Option<string[]> Exclude = new("--exclude")
    {
        Description = "What to leave out, in the same syntax as --select.",
        AllowMultipleArgumentsPerToken = true,
        HelpName = "selector",
    };

    public static readonly Option<string?> Vars = new("--vars")
    {
        Description = "Vars for var(), as a YAML mapping: --vars '{start_date: 2025-01-01}'. They win over the project's.",
        HelpName = "yaml",
    };

    public static readonly Option<int?> Threads = CreateThreadsOption();

    public static readonly Option<bool> FullRefresh = new("--full-refresh")
    {
        Description = "Rebuild incremental and partitioned models from scratch.",
    };

    public static readonly Option<string?> Date = new("--date")
    {
        Description = "The partition holding this day (YYYY-MM-DD) of partitioned models: the one built, or checked by test. Default: yesterday, UTC.",
        HelpName = "day",
    };

    public static readonly Option<string?> From = new("--from")
    {
        Description = "The first day (YYYY-MM-DD) of a range of partitions, with --to: those built, checked by test, or reported by status.",
        HelpName = "day",
    };

    public static readonly Option<string?> To = new("--to")
    {
        Description = "The last day of the range, inclusive.",
        HelpName = "day",
    };

    public static readonly Option<bool> Force = new("--force")
    {
        Description = "Rebuild partitions that already succeeded.",
    };

    public static readonly Option<string> Format = CreateFormatOption();

    /// <summary>Reads the project and its models, with --vars applied, and prints any notices.</summary>
    public static ParsedProject Parse(CliContext context, ParseResult parseResult) => Parse(Load(context), parseResult);

    /// <summary>Reads the project's settings, and prints any notices.</summary>
    public static SluiceProject Load(CliContext context)
    {
        var project = ProjectLoader.Load(context.ProjectDirectory);
        foreach (var notice in project.Notices)
        {
            context.Error.WriteLine($"note: {notice}");
        }

        return project;
    }

    /// <summary>Reads the models of <paramref name="project"/>, with --vars applied.</summary>
    public static ParsedProject Parse(SluiceProject project, ParseResult parseResult) =>
        ProjectParser.Parse(project, ReadVars(parseResult.GetValue(Vars)), parseResult.GetValue(Threads));

    /// <summary>The names --select and --exclude pick, or every resource when no --select is given.</summary>
    public static IReadOnlySet<string> Selected(ParsedProject project, ParseResult parseResult) =>
        NodeSelector.Select(project.Graph, parseResult.GetValue(Select) ?? [], parseResult.GetValue(Exclude) ?? []);

    /// <summary>The first and last day of the partitions to build, from --date or --from/--to; yesterday by default.</summary>
    public static (DateOnly From, DateOnly To) Days(ParseResult parseResult)
    {
        var date = parseResult.GetValue(Date);
        var from = parseResult.GetValue(From);
        var to = parseResult.GetValue(To);
        if (date is not null && (from is not null || to is not null))
        {
            throw new ConfigurationException("--date cannot be combined with --from/--to; give one day with --date, or a range with --from and --to.");
        }

        if (date is not null)
        {
            var day = Day(date, "--date");
            return (day, day);
        }

        if (from is null != (to is null))
        {
            throw new ConfigurationException(from is null ? "--to needs --from; give both ends of the range." : "--from needs --to; give both ends of the range.");
        }

        if (from is null)
        {
            var yesterday = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-1);
            return (yesterday, yesterday);
        }

        var (first, last) = (Day(from, "--from"), Day(to!, "--to"));
        return first <= last ? (first, last) : throw new ConfigurationException($"--from {from} is after --to {to}; swap them.");
    }

    private static DateOnly Day(string text, string option) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
            ? day
            : throw new ConfigurationException($"{option} '{text}' is not a day; write it as YYYY-MM-DD, such as 2025-01-15.");

    private static Dictionary<string, object?>? ReadVars(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            throw new ConfigurationException($"--vars is not valid YAML ({e.Message.TrimEnd('.')}); write a mapping such as '{{start_date: 2025-01-01, limit: 10}}'.");
        }

        return stream.Documents.Count == 1 && YamlValues.From(stream.Documents[0].RootNode) is Dictionary<string, object?> vars
            ? vars
            : throw new ConfigurationException("--vars must be a YAML mapping, such as '{start_date: 2025-01-01}'.");
    }

    private static Option<int?> CreateThreadsOption()
    {
        // The same range as a profile's threads.
        var option = WholeNumberOption.CreateOptional("--threads", 1, 1024);
        option.Description = "How many models to build at once. Default: the profile's threads, else 4.";
        option.HelpName = "N";
        return option;
    }

    private static Option<string> CreateFormatOption()
    {
        var option = new Option<string>("--format", "-f")
        {
            Description = "table (default) or json.",
            DefaultValueFactory = _ => "table",
        };
        option.AcceptOnlyFromAmong("table", "json");
        return option;
    }
}
