namespace Sluice.Bench;

/// <summary>Command-line settings of the dashboard benchmark; fewer days or loads are smoke tests and say so.</summary>
internal sealed record DashboardBenchOptions
{
    public const int DefaultDays = 90;
    public const int DefaultLoads = 10;
    public const string DefaultDashboard = "operations";

    /// <summary>The sluice CLI's dll, run with dotnet.</summary>
    public string? Sluice { get; init; }

    /// <summary>Days of data the demo generates.</summary>
    public int Days { get; init; } = DefaultDays;

    /// <summary>Measured loads of each kind (cold and cached, dashboard and limit).</summary>
    public int Loads { get; init; } = DefaultLoads;

    /// <summary>The dashboard of the demo project to load.</summary>
    public string Dashboard { get; init; } = DefaultDashboard;

    public string? WritePath { get; init; }

    public string? Revision { get; init; }

    public bool IsDefaultSize => Days == DefaultDays && Loads >= DefaultLoads && Dashboard == DefaultDashboard;

    public const string Usage = """
        Usage: Sluice.Bench.Dashboards --sluice <sluice.dll> [--write <markdown file>] [--revision <text>] [--days <n>] [--loads <n>] [--dashboard <name>]
          --sluice     the sluice CLI to run (src/Sluice.Cli/bin/Release/net10.0/sluice.dll)
          --write      rewrite the "Dashboards" section of this file (created if missing)
          --revision   what is being measured, such as a git commit, recorded in the markdown
          --days       days of data the demo generates (default 90)
          --loads      measured page loads of each kind (default 10)
          --dashboard  the demo's dashboard to load (default operations)
        Chromium is /usr/bin/chromium (Debian package chromium) or the executable SLUICE_CHROMIUM names.
        """;

    public static DashboardBenchOptions Parse(IReadOnlyList<string> args)
    {
        var options = BenchArguments.Parse(args, new DashboardBenchOptions(), Usage, (options, name, value) => name switch
        {
            "--sluice" => options with { Sluice = value },
            "--write" => options with { WritePath = value },
            "--revision" => options with { Revision = value },
            "--days" => options with { Days = (int)BenchArguments.Positive(name, value, 3660) },
            "--loads" => options with { Loads = (int)BenchArguments.Positive(name, value, 1000) },
            "--dashboard" => options with { Dashboard = value },
            _ => null,
        });
        return options.Sluice is null ? throw new ArgumentException("--sluice is required: the sluice CLI's dll.\n" + Usage) : options;
    }
}
