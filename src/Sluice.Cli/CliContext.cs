namespace Sluice.Cli;

/// <summary>What a verb runs with: the global options and where to write.</summary>
/// <param name="ProjectDirectory">The project folder, absolute.</param>
/// <param name="Verbose">True when errors should carry their details.</param>
/// <param name="Out">Results and reports.</param>
/// <param name="Error">Errors, notes and progress, so that <see cref="Out"/> stays machine-readable.</param>
internal sealed record CliContext(string ProjectDirectory, bool Verbose, TextWriter Out, TextWriter Error);
