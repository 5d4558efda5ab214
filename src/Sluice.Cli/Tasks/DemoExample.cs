using Sluice.Core.Warehouse;
using Sluice.Demo;

namespace Sluice.Cli.Tasks;

/// <summary>One run of <c>sluice demo</c>: where, with which data, and how to run sluice verbs on the project.</summary>
/// <param name="Context">Where the demo writes.</param>
/// <param name="Directory">The project folder.</param>
/// <param name="Record">The earlier run's record, or null for a first run.</param>
/// <param name="SourceUrl">The PostgreSQL database to generate the product's tables into, or null for CSV files.</param>
/// <param name="Days">Days to generate on a first run.</param>
/// <param name="Seed">The generator's seed.</param>
internal sealed record DemoRun(CliContext Context, string Directory, DemoRecord? Record, string? SourceUrl, int Days, long Seed)
{
    /// <summary>The last day to generate: yesterday, UTC, or the earlier run's last day when later.</summary>
    public DateOnly Last
    {
        get
        {
            var yesterday = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-1);
            return Record?.Last > yesterday ? Record.Last : yesterday;
        }
    }

    /// <summary>The first day of data.</summary>
    public DateOnly First => Record?.First ?? Last.AddDays(1 - Days);

    /// <summary>Runs a sluice verb on the project, its output shown or, with <paramref name="quiet"/>, dropped.</summary>
    public Task<int> SluiceAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken, bool quiet = false) =>
        SluiceCli.RunAsync([.. arguments, "--project-dir", Directory], quiet ? TextWriter.Null : Context.Out, quiet ? TextWriter.Null : Context.Error, cancellationToken);
}

/// <summary>An example that <c>sluice demo</c> runs: its project, how its data is generated and synced, and what it shows at the end.</summary>
internal abstract class DemoExample
{
    /// <summary>The examples, by the name <c>sluice demo NAME</c> takes.</summary>
    public static IReadOnlyDictionary<string, DemoExample> All { get; } = new Dictionary<string, DemoExample>(StringComparer.Ordinal)
    {
        ["applylens"] = new ApplyLensDemo(),
        ["aivo"] = new AivoDemo(),
        ["teei"] = new TeeiDemo(),
    };

    /// <summary>The name <c>sluice demo</c> takes.</summary>
    public abstract string Name { get; }

    /// <summary>The name people know it by.</summary>
    public abstract string Title { get; }

    /// <summary>The project's files.</summary>
    public abstract ExampleProject Project { get; }

    /// <summary>The environment variable the project reads the PostgreSQL source's URL from.</summary>
    public abstract string SourceUrlVariable { get; }

    /// <summary>The folder a demo goes into without --dir.</summary>
    public virtual string DefaultDirectory => $"sluice-demo-{Name}";

    /// <summary>
    /// Generates the days since the earlier run (or all of them) into the CSV files or the
    /// database, and syncs them (with whatever else the example runs before its build); returns
    /// the run's record and the exit code of the first step that failed, or 0.
    /// </summary>
    public abstract Task<(DemoRecord Record, int ExitCode)> PrepareAsync(DemoRun run, CancellationToken cancellationToken);

    /// <summary>Prints what the warehouse now holds.</summary>
    public abstract Task SummarizeAsync(DemoRun run, DemoRecord record, IWarehouseSession session, TimeSpan elapsed, CancellationToken cancellationToken);

    /// <summary>The lines shown before serving: where to look, and a few calls to try.</summary>
    public abstract string Hints(string host, DemoRecord record);

    /// <summary>A day as the CLI takes it.</summary>
    protected static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
}
