using System.CommandLine;
using System.Reflection;
using System.Text.RegularExpressions;

namespace Sluice.Cli.Tests;

public class UsageTests
{
    [Fact]
    public async Task Version_prints_a_version()
    {
        var result = await SluiceProcess.RunAsync(Path.GetTempPath(), "--version");

        Assert.Equal(0, result.ExitCode);
        Assert.Matches(@"^\d+\.\d+\.\d+", result.Stdout);
    }

    [Fact]
    public async Task Version_works_after_a_verb()
    {
        var result = await SluiceProcess.RunAsync(Path.GetTempPath(), "query", "--version");

        Assert.Equal(0, result.ExitCode);
        Assert.Matches(@"^\d+\.\d+\.\d+", result.Stdout);
    }

    [Fact]
    public async Task Help_lists_the_verbs()
    {
        var result = await SluiceProcess.RunAsync(Path.GetTempPath(), "--help");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("init", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("query", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("debug", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("--project-dir", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_lists_every_verb_the_cli_defines_and_each_verbs_help_works()
    {
        var defined = DefinedVerbs();
        var help = await SluiceProcess.RunAsync(Path.GetTempPath(), "--help");
        var none = await SluiceProcess.RunAsync(Path.GetTempPath());

        Assert.Equal(0, help.ExitCode);
        var commands = help.Stdout[help.Stdout.IndexOf("Commands:", StringComparison.Ordinal)..];
        var listed = Regex.Matches(commands, @"(?m)^  (?<verb>[a-z]+)\b").Select(m => m.Groups["verb"].Value).ToList();
        Assert.Equal(defined.Keys.Order(StringComparer.Ordinal), listed.Order(StringComparer.Ordinal));
        foreach (var (verb, description) in defined)
        {
            Assert.Matches($@"(?m)^  {verb}\b.*  {Regex.Escape(description)}$", commands);
        }

        // The verbs the root command dispatches, as the error for a missing verb lists them.
        var dispatched = Regex.Match(none.Stderr, @"to see them \((?<verbs>[a-z, ]+)\)").Groups["verbs"].Value.Split(", ");
        Assert.Equal(defined.Keys.Order(StringComparer.Ordinal), dispatched.Order(StringComparer.Ordinal));
        foreach (var verb in defined.Keys)
        {
            var verbHelp = await SluiceProcess.RunAsync(Path.GetTempPath(), verb, "--help");
            Assert.True(verbHelp.ExitCode == 0, verbHelp.ToString());
            Assert.Contains($"Usage:\n  sluice {verb}", verbHelp.Stdout, StringComparison.Ordinal);
            Assert.Contains(defined[verb], verbHelp.Stdout, StringComparison.Ordinal);
        }
    }

    // Every verb the CLI can make, by name, with its description: the static methods of the
    // task classes that make a command from the global options, called here as SluiceCli calls them.
    private static Dictionary<string, string> DefinedVerbs()
    {
        var cli = Assembly.LoadFrom(SluiceProcess.AppPath);
        var globalOptions = cli.GetType("Sluice.Cli.GlobalOptions", throwOnError: true)!;
        var factories = cli.GetTypes()
            .Where(t => t.Namespace == "Sluice.Cli.Tasks")
            .SelectMany(t => t.GetMethods(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic))
            .Where(m => m.ReturnType == typeof(Command) && m.GetParameters() is [{ } only] && only.ParameterType == globalOptions)
            .ToList();
        Assert.True(factories.Count >= 16, $"found only {factories.Count} verb factories: {string.Join(", ", factories.Select(f => f.Name))}");
        var commands = factories.Select(f => (Command)f.Invoke(null, [Activator.CreateInstance(globalOptions)])!).ToList();

        // A verb's own subcommands (`channels test`) are made by factories too; they are not verbs.
        var nested = commands.SelectMany(c => c.Subcommands).Select(s => (s.Name, s.Description)).ToHashSet();
        return commands
            .Where(c => !nested.Contains((c.Name, c.Description)))
            .ToDictionary(c => c.Name, c => c.Description!, StringComparer.Ordinal);
    }

    [Theory]
    [InlineData("test", "checked by test")]
    [InlineData("status", "reported by status")]
    [InlineData("build", "run each model's checks")]
    public async Task Each_verbs_help_says_what_its_options_do_for_it(string verb, string phrase)
    {
        var result = await SluiceProcess.RunAsync(Path.GetTempPath(), verb, "--help");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains(phrase, result.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("Build the partition", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_verb_exits_2()
    {
        var result = await SluiceProcess.RunAsync(Path.GetTempPath(), "frobnicate");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("error: Unrecognized command or argument 'frobnicate'.\nRun `sluice --help` for usage.\n", result.Stderr);
    }

    [Fact]
    public async Task Unknown_option_exits_2()
    {
        var result = await SluiceProcess.RunAsync(Path.GetTempPath(), "query", "select 1", "--colour");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("'--colour'", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("sluice query --help", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_format_exits_2()
    {
        var result = await SluiceProcess.RunAsync(Path.GetTempPath(), "query", "select 1", "--format", "xml");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("'xml'", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Negative_limit_exits_2()
    {
        var result = await SluiceProcess.RunAsync(Path.GetTempPath(), "query", "select 1", "--limit", "-1");

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("error: --limit must be 0 or more.", result.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("query", "select 1", "--limit", "abc", "error: --limit must be a whole number, 0 or more, not 'abc'.")]
    [InlineData("sync", null, "--retries", "abc", "error: --retries must be a whole number between 0 and 100, not 'abc'.")]
    [InlineData("demo", null, "--days", "many", "error: --days must be a whole number between 1 and 3660, not 'many'.")]
    [InlineData("run", null, "--threads", "1.5", "error: --threads must be a whole number between 1 and 1024, not '1.5'.")]
    public async Task A_word_for_a_count_is_a_usage_error_not_a_crash(string verb, string? argument, string option, string value, string error)
    {
        string[] arguments = argument is null ? [verb, option, value] : [verb, argument, option, value];

        var result = await SluiceProcess.RunAsync(Path.GetTempPath(), arguments, standardInput: null, environment: null);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Equal($"{error}\nRun `sluice {verb} --help` for usage.\n", result.Stderr);
    }

    [Fact]
    public async Task No_verb_exits_2()
    {
        var result = await SluiceProcess.RunAsync(Path.GetTempPath());

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("error: no command given", result.Stderr, StringComparison.Ordinal);
    }
}
