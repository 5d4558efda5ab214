using System.CommandLine;

namespace Sluice.Cli;

/// <summary>Options every verb accepts.</summary>
internal sealed class GlobalOptions
{
    public Option<string> ProjectDirectory { get; } = new("--project-dir")
    {
        Description = "The project folder, the one holding sluice.yml.",
        HelpName = "dir",
        Recursive = true,
        DefaultValueFactory = _ => ".",
    };

    public Option<bool> Verbose { get; } = new("--verbose", "-v")
    {
        Description = "Show details of errors, including stack traces.",
        Recursive = true,
    };

    /// <summary>The values given on this command line.</summary>
    public CliContext Read(ParseResult parseResult) => new(
        Path.GetFullPath(parseResult.GetValue(ProjectDirectory) ?? "."),
        parseResult.GetValue(Verbose),
        Output ?? Console.Out,
        Errors ?? Console.Error);

    /// <summary>Where results go instead of standard output (a job run inside the server); null for the console.</summary>
    public TextWriter? Output { get; init; }

    /// <summary>Where notes and errors go instead of standard error; null for the console.</summary>
    public TextWriter? Errors { get; init; }
}
