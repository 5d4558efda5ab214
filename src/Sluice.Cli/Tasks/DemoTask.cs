using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Sluice.Core.Project;
using Sluice.Demo;
using Sluice.Warehouses;

namespace Sluice.Cli.Tasks;

/// <summary>
/// <c>sluice demo [EXAMPLE]</c>: an example (ApplyLens by default, AIVO or TEEI) end to end on the
/// embedded warehouse. Writes the project, generates its source data (CSV files, or a PostgreSQL
/// database), syncs, builds and checks, prints a summary and serves the metrics API. Run again,
/// it generates only the days since the last run and builds only what they changed.
/// </summary>
internal sealed class DemoTask(CliContext context, ParseResult parseResult)
{
    private const long DefaultSeed = 20_240_601;

    private static readonly Argument<string> ExampleArgument = CreateExampleArgument();

    private static readonly Option<string?> DirOption = new("--dir")
    {
        Description = "The folder of the demo project; created when missing, reused when it holds the demo. Default: ./sluice-demo (applylens), ./sluice-demo-aivo (aivo), ./sluice-demo-teei (teei).",
        HelpName = "dir",
    };

    private static readonly Option<int> DaysOption = CreateDaysOption();

    private static readonly Option<string?> SourceUrlOption = new("--source-url")
    {
        Description = "Generate the product's tables into this PostgreSQL database (postgres://user@host:5432/db) and sync from it, instead of CSV files.",
        HelpName = "url",
    };

    private static readonly Option<bool> NoServeOption = new("--no-serve") { Description = "Exit after the summary instead of serving the metrics API." };

    private static readonly Option<int> PortOption = new("--port")
    {
        Description = "The port to serve on; 0 picks a free one. Default: 8080.",
        HelpName = "port",
        DefaultValueFactory = _ => 8080,
    };

    public static Command CreateCommand(GlobalOptions globals)
    {
        var command = new Command("demo", "Run an example end to end (ApplyLens, AIVO or TEEI): write the project, generate its data, sync, build, check, summarize and serve.")
        {
            ExampleArgument, DirOption, DaysOption, SourceUrlOption, NoServeOption, PortOption,
        };
        VerbRunner.SetAction(command, globals, "the demo failed", (parseResult, context, cancellationToken) =>
            new DemoTask(context, parseResult).RunAsync(cancellationToken));
        return command;
    }

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        if (parseResult.GetValue(PortOption) is < 0 or > 65535)
        {
            throw new ConfigurationException($"--port {parseResult.GetValue(PortOption)} is not a port; give 0 to 65535.");
        }

        var example = DemoExample.All[parseResult.GetValue(ExampleArgument) ?? "applylens"];
        var directory = Path.GetFullPath(parseResult.GetValue(DirOption) ?? example.DefaultDirectory);
        var url = parseResult.GetValue(SourceUrlOption);
        var source = url is null ? "csv" : "postgres";
        var record = DemoRecord.Read(directory);
        if (record is not null && record.Example != example.Name)
        {
            throw new ConfigurationException($"{directory} holds the {record.Example} demo; run `sluice demo {record.Example}` there, or give another --dir.");
        }

        if (record is not null && record.Source != source)
        {
            throw new ConfigurationException(
                $"{directory} holds a demo whose data is in {(record.IsCsv ? "CSV files" : "PostgreSQL")}; run it {(record.IsCsv ? "without" : "with")} --source-url, or give another --dir.");
        }

        if (record is null && File.Exists(Path.Combine(directory, SluiceProject.FileName)))
        {
            throw new ConfigurationException($"{directory} holds a Sluice project that is not the demo; give another --dir.");
        }

        if (url is not null)
        {
            // The project reads the URL from the environment, so that sluice.yml holds no password.
            Environment.SetEnvironmentVariable(example.SourceUrlVariable, url);
        }

        var written = example.Project.Write(directory, csv: url is null);
        await context.Error.WriteLineAsync(record is null
            ? $"Wrote the {example.Title} project into {directory}."
            : $"Using the {example.Title} project in {directory}{(written.Count > 0 ? $" ({written.Count} missing file(s) written again)" : string.Empty)}.");

        var run = new DemoRun(context, directory, record, url, parseResult.GetValue(DaysOption), DefaultSeed);
        var (updated, code) = await example.PrepareAsync(run, cancellationToken);
        if (code != ExitCodes.Success)
        {
            ErrorReporter.WriteError(context, $"the demo's sync failed; see above, fix it, and run `sluice demo {example.Name} --dir {directory}` again.");
            return code;
        }

        code = await run.SluiceAsync(["build", "--from", Day(updated.First), "--to", Day(updated.Last)], cancellationToken);
        await SummarizeAsync(example, run, updated, clock.Elapsed, cancellationToken);
        if (code != ExitCodes.Success)
        {
            ErrorReporter.WriteError(context, "the demo's build did not pass; see above.");
            return code;
        }

        if (parseResult.GetValue(NoServeOption))
        {
            return ExitCodes.Success;
        }

        var port = parseResult.GetValue(PortOption);
        if (port == 0)
        {
            // Pick the free port here, so that the examples below can name it.
            using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
            listener.Start();
            port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        }

        await context.Out.WriteLineAsync(example.Hints($"http://127.0.0.1:{port}", updated));
        return await run.SluiceAsync(["serve", "--port", port.ToString(CultureInfo.InvariantCulture)], cancellationToken);
    }

    private static async Task SummarizeAsync(DemoExample example, DemoRun run, DemoRecord record, TimeSpan elapsed, CancellationToken cancellationToken)
    {
        var project = ProjectLoader.Load(run.Directory);
        await using var warehouse = WarehouseFactory.Create(project.Warehouse, project.Directory);
        await using var session = await warehouse.OpenSessionAsync(cancellationToken);
        await example.SummarizeAsync(run, record, session, elapsed, cancellationToken);
    }

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static Argument<string> CreateExampleArgument()
    {
        // Optional without a default value, so that the verbs' list does not end its line with one.
        var argument = new Argument<string>("example")
        {
            Description = "The example: applylens (job-search mail scored for risk, the default) aivo (a learning product's star schema with SCD2 dimensions) or teei (a CSR platform's outcome trends, cohorts, funnel and benchmarks).",
            Arity = ArgumentArity.ZeroOrOne,
        };
        argument.AcceptOnlyFromAmong([.. DemoExample.All.Keys]);
        return argument;
    }

    private static Option<int> CreateDaysOption()
    {
        var option = WholeNumberOption.Create("--days", 1, 3660, defaultValue: 90);
        option.Description = "Days of data to generate, up to yesterday (UTC), on the first run. Default: 90.";
        option.HelpName = "N";
        return option;
    }
}
