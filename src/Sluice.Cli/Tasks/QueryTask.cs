using System.CommandLine;
using Sluice.Cli.Output;
using Sluice.Core.Models;
using Sluice.Core.Project;
using Sluice.Models.Compile;
using Sluice.Warehouses;

namespace Sluice.Cli.Tasks;

/// <summary><c>sluice query "SQL"</c>: runs SQL on the project's warehouse and prints the result.</summary>
internal sealed class QueryTask(CliContext context, string sql, string format, int? limit, bool crlf)
{
    /// <summary>Rows a table shows without --limit; a table is built in memory, CSV and JSON stream.</summary>
    public const int DefaultTableLimit = 1000;

    private static readonly Argument<string> SqlArgument = new("sql")
    {
        Description = "The SQL to run; - reads it from standard input. It may name models as {{ ref('orders') }} and sources as {{ source('app', 'users') }}.",
    };

    private static readonly Option<string> FormatOption = CreateFormatOption();
    private static readonly Option<int?> LimitOption = CreateLimitOption();
    private static readonly Option<bool> CrlfOption = new("--crlf") { Description = "End CSV lines with CRLF, as RFC 4180 says, instead of the platform's line end." };

    public static Command CreateCommand(GlobalOptions globals)
    {
        var command = new Command("query", "Run SQL on the project's warehouse and print the result.") { SqlArgument, FormatOption, LimitOption, CrlfOption };
        VerbRunner.SetAction(command, globals, "the query failed", (parseResult, context, cancellationToken) =>
            new QueryTask(context, parseResult.GetRequiredValue(SqlArgument), parseResult.GetRequiredValue(FormatOption), parseResult.GetValue(LimitOption), parseResult.GetValue(CrlfOption))
                .RunAsync(cancellationToken));
        return command;
    }

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var text = sql == "-" ? await Console.In.ReadToEndAsync(cancellationToken) : sql;
        var project = ProjectLoader.Load(context.ProjectDirectory);
        if (text.Contains("{{", StringComparison.Ordinal) || text.Contains("{%", StringComparison.Ordinal))
        {
            // ref() and source() resolve as they do in models, so a query can name a model
            // without knowing its schema.
            var models = ProjectParser.Parse(project);
            text = new ModelCompiler(models).CompileAdHoc(text, RenderFacts.Default(DateTimeOffset.UtcNow, Guid.CreateVersion7().ToString("N")), "query");
        }

        await using var warehouse = WarehouseFactory.Create(project.Warehouse, project.Directory);
        await using var session = await warehouse.OpenSessionAsync(cancellationToken);
        await using var reader = await session.QueryAsync(text, null, cancellationToken);

        // Console.Out flushes on every write, so the raw stream the machine formats use never
        // overtakes text written before it.
        var writer = ResultWriter.Create(format, Console.OpenStandardOutput(), context.Out, !Console.IsOutputRedirected, crlf);
        if (reader.FieldCount == 0)
        {
            await writer.WriteRowsAffectedAsync(reader.RecordsAffected, cancellationToken);
            return ExitCodes.Success;
        }

        var isTable = format == "table";
        var summary = await writer.WriteAsync(reader, limit ?? (isTable ? DefaultTableLimit : null), cancellationToken);
        if (summary.Truncated && isTable)
        {
            await context.Error.WriteLineAsync(
                $"note: showing the first {summary.Rows} rows; pass --limit N to see more, or --format csv to stream them all.");
        }

        return ExitCodes.Success;
    }

    private static Option<string> CreateFormatOption()
    {
        var option = new Option<string>("--format", "-f")
        {
            Description = "How to print rows: table (aligned, for people), csv (RFC 4180) or json (an array of objects).",
            DefaultValueFactory = _ => "table",
        };
        option.AcceptOnlyFromAmong([.. ResultWriter.Formats]);
        return option;
    }

    private static Option<int?> CreateLimitOption()
    {
        var option = WholeNumberOption.CreateOptional("--limit", 0, null, "-n");
        option.Description = $"Print at most N rows. Default: all rows for csv and json, {DefaultTableLimit} for table.";
        option.HelpName = "N";
        return option;
    }
}
