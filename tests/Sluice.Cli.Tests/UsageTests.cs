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

    [Fact]
    public async Task No_verb_exits_2()
    {
        var result = await SluiceProcess.RunAsync(Path.GetTempPath());

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("error: no command given", result.Stderr, StringComparison.Ordinal);
    }
}
