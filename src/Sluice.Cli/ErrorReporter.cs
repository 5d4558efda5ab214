using System.Data.Common;
using Sluice.Core.Project;
using Sluice.DuckDb;

namespace Sluice.Cli;

/// <summary>
/// Prints a failure as one line, <c>error: what failed; what to do</c>, picks the exit code,
/// and adds the details only under --verbose. Every line passes through
/// <see cref="SecretMasker"/> first.
/// </summary>
internal static class ErrorReporter
{
    // SQL the engine rejected because of what the user wrote, as opposed to a warehouse that is
    // down or broken. DuckDB names the kind; PostgreSQL uses SQLSTATE classes 42 (syntax, unknown
    // objects) and 22 (bad data), and the DuckDB kinds after InvalidInput are their analogues.
    private static readonly HashSet<string> UserFaultKinds =
    [
        "Parser", "Syntax", "Catalog", "Binder", "Conversion", "InvalidInput", "ParameterNotResolved",
        "ParameterNotAllowed", "MismatchType", "OutOfRange", "DivideByZero", "Decimal",
    ];

    public static int Report(CliContext context, Exception exception, string failure)
    {
        var (message, exitCode) = exception switch
        {
            OperationCanceledException => ("cancelled.", ExitCodes.Cancelled),
            ConfigurationException => (exception.Message, ExitCodes.Usage),
            WarehouseException { IsLoginRefused: true } => ($"{failure}: {FirstLine(exception.Message)}.", ExitCodes.Usage),
            WarehouseException warehouse => Describe(failure, warehouse.Message, warehouse.ErrorCode, warehouse.IsTransient),
            DuckDbException duckDb => Describe(failure, duckDb.Message, duckDb.ErrorType.ToString(), duckDb.IsTransient),
            DbException db => Describe(failure, db.Message, db.SqlState, db.IsTransient),
            SluiceException => (exception.Message, ExitCodes.Failure),
            IOException or UnauthorizedAccessException => (exception.Message, ExitCodes.Failure),
            _ => ($"unexpected {exception.GetType().Name}: {FirstLine(exception.Message)}; run again with --verbose and report the output.", ExitCodes.Failure),
        };

        WriteError(context, message);
        if (context.Verbose)
        {
            context.Error.WriteLine(SecretMasker.Mask(exception.ToString()));
        }

        return exitCode;
    }

    /// <summary>Writes <c>error: message</c>; only the first line of a multi-line message (the rest is for --verbose).</summary>
    public static void WriteError(CliContext context, string message)
    {
        var lines = message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        context.Error.WriteLine($"error: {SecretMasker.Mask(lines.Length > 0 ? lines[0] : message)}");
    }

    /// <summary>
    /// The first line of an engine's message without its closing punctuation, so that a hint can
    /// follow it; DuckDB adds a caret diagram on further lines, which --verbose shows.
    /// </summary>
    public static string FirstLine(string message)
    {
        var newline = message.IndexOf('\n', StringComparison.Ordinal);
        return (newline < 0 ? message : message[..newline]).TrimEnd().TrimEnd('.', '!');
    }

    /// <summary>True when the engine rejected the SQL itself (exit code 2).</summary>
    public static bool IsUserFault(string? errorCode) =>
        errorCode is not null
        && (UserFaultKinds.Contains(errorCode) || (errorCode.Length == 5 && (errorCode.StartsWith("42", StringComparison.Ordinal) || errorCode.StartsWith("22", StringComparison.Ordinal))));

    private static (string Message, int ExitCode) Describe(string failure, string message, string? errorCode, bool transient)
    {
        var first = FirstLine(message);
        if (IsUserFault(errorCode))
        {
            return ($"{failure}: {first}; fix the SQL and run it again.", ExitCodes.Usage);
        }

        var hint = transient ? "retry, or run `sluice debug` to check the warehouse" : "run `sluice debug` to check the warehouse";
        return ($"{failure}: {first}; {hint}.", ExitCodes.Failure);
    }
}
