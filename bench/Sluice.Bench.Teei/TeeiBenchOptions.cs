namespace Sluice.Bench;

/// <summary>Command-line settings of the TEEI load benchmark; smaller sizes or shorter runs are smoke tests and say so.</summary>
internal sealed record TeeiBenchOptions
{
    // A year, so that month trends have twelve periods and the 90-day window is a quarter of the
    // data; 120 companies (five times the demo's 24) at the demo's users per company make about
    // 1,700 scores a day, over 600,000 in the year, and 15 to 24 companies per industry, region
    // and size band: every benchmark peer group is shown to a company's key (five peers or
    // more), and a request that misses the cache aggregates a real table rather than a few
    // thousand rows. Generating, syncing and building it takes minutes, not the run's hour.
    public const int DefaultDays = 365;
    public const int DefaultCompanies = 120;
    public const int DefaultSeconds = 60;
    public const int DefaultClients = 16;
    public const int DefaultSeed = 1;

    public static readonly IReadOnlyList<string> Engines = ["duckdb", "clickhouse"];

    /// <summary>The sluice CLI's dll, run with dotnet.</summary>
    public string? Sluice { get; init; }

    /// <summary>The engines to run, in order: duckdb, clickhouse or both.</summary>
    public IReadOnlyList<string> EnginesToRun { get; init; } = Engines;

    /// <summary>Days of generated outcome scores, up to yesterday.</summary>
    public int Days { get; init; } = DefaultDays;

    /// <summary>Companies at the start of the generated platform.</summary>
    public int Companies { get; init; } = DefaultCompanies;

    /// <summary>Seconds of the request mix per engine.</summary>
    public int Seconds { get; init; } = DefaultSeconds;

    /// <summary>Concurrent clients, each sending its next request when its last is answered.</summary>
    public int Clients { get; init; } = DefaultClients;

    /// <summary>Seeds the generated data and the request mix.</summary>
    public int Seed { get; init; } = DefaultSeed;

    public string? WritePath { get; init; }

    public string? Revision { get; init; }

    public bool IsDefaultSize => Days == DefaultDays && Companies == DefaultCompanies && Seconds >= DefaultSeconds && Clients == DefaultClients;

    public const string Usage = """
        Usage: Sluice.Bench.Teei --sluice <sluice.dll> [--write <markdown file>] [--revision <text>] [--engine duckdb|clickhouse|both] [--days <n>] [--companies <n>] [--seconds <n>] [--clients <n>] [--seed <n>]
          --sluice     the sluice CLI to serve with (src/Sluice.Cli/bin/Release/net10.0/sluice.dll)
          --write      rewrite the "TEEI load" section of this file (created if missing)
          --revision   what is being measured, such as a git commit, recorded in the markdown
          --engine     duckdb (in-process cache), clickhouse (with a Redis cache) or both (the default)
          --days       days of generated outcome scores up to yesterday (default 365)
          --companies  companies of the generated platform (default 120; at least 16)
          --seconds    seconds of the request mix per engine (default 60)
          --clients    concurrent clients (default 16)
          --seed       seeds the data and the request mix (default 1)
        """;

    public static TeeiBenchOptions Parse(IReadOnlyList<string> args)
    {
        var options = BenchArguments.Parse(args, new TeeiBenchOptions(), Usage, (options, name, value) => name switch
        {
            "--sluice" => options with { Sluice = value },
            "--write" => options with { WritePath = value },
            "--revision" => options with { Revision = value },
            "--engine" => options with { EnginesToRun = value == "both" ? Engines : Engines.Contains(value) ? [value] : throw new ArgumentException($"--engine takes duckdb, clickhouse or both, not '{value}'.\n{Usage}") },
            "--days" => options with { Days = (int)BenchArguments.Positive(name, value, 3650) },
            "--companies" => options with { Companies = (int)BenchArguments.Positive(name, value, 100_000) },
            "--seconds" => options with { Seconds = (int)BenchArguments.Positive(name, value, 3600) },
            "--clients" => options with { Clients = (int)BenchArguments.Positive(name, value, 1_000) },
            "--seed" => options with { Seed = (int)BenchArguments.Positive(name, value, int.MaxValue) },
            _ => null,
        });

        // Sixteen companies give the cohorts of ten and the eight tenant keys companies with scores.
        return options.Sluice is null ? throw new ArgumentException("--sluice is required: the sluice CLI's dll.\n" + Usage)
            : options.Companies < 16 ? throw new ArgumentException($"--companies must be at least 16, not {options.Companies}.\n{Usage}")
            : options;
    }
}
