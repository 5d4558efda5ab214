using System.CommandLine;

namespace Sluice.Cli;

/// <summary>Runs a verb and turns whatever it throws into one error line and an exit code.</summary>
internal static class VerbRunner
{
    /// <summary>Binds <paramref name="run"/> as the action of <paramref name="command"/>.</summary>
    /// <param name="command">The verb's command.</param>
    /// <param name="globals">The global options.</param>
    /// <param name="failure">What failed, for warehouse errors: "the query failed".</param>
    /// <param name="run">The verb; returns its exit code.</param>
    public static void SetAction(Command command, GlobalOptions globals, string failure, Func<ParseResult, CliContext, CancellationToken, Task<int>> run) =>
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var context = globals.Read(parseResult);

            // System.CommandLine hooks Ctrl+C only once the action has returned its task, and a
            // DuckDB query runs synchronously inside QueryAsync; yielding first lets the hook be
            // in place before any work starts, so Ctrl+C can cancel it.
            await Task.Yield();
            try
            {
                return await ServerHandoff.TryAsync(parseResult, context, cancellationToken)
                    ?? await run(parseResult, context, cancellationToken);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                return ErrorReporter.Report(context, e, failure);
            }
        });
}
