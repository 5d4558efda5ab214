namespace Sluice.Bench.Chaos;

/// <summary>The warehouses the suite runs against.</summary>
public enum ChaosWarehouse
{
    DuckDb,
    Postgres,
}

/// <summary>How much chaos to make; the defaults are the full suite, smaller counts a smoke run that says so.</summary>
public sealed record ChaosOptions
{
    public const int DefaultKills = 200;
    public const int DefaultRestarts = 10;
    public const int DefaultConfigs = 100;
    public const int DefaultRequests = 10_000;

    /// <summary>The sluice CLI's dll, run as a child process.</summary>
    public string Sluice { get; init; } = string.Empty;

    public IReadOnlyList<ChaosWarehouse> Warehouses { get; init; } = [ChaosWarehouse.DuckDb, ChaosWarehouse.Postgres];

    /// <summary>Processes killed per warehouse, spread evenly over sync, build, backfill and full refresh.</summary>
    public int Kills { get; init; } = DefaultKills;

    /// <summary>Restarts per warehouse: of the source during a sync, and of the warehouse (or the server on DuckDB) under load.</summary>
    public int Restarts { get; init; } = DefaultRestarts;

    /// <summary>Corrupt configurations tried per warehouse.</summary>
    public int Configs { get; init; } = DefaultConfigs;

    /// <summary>Hostile API requests per warehouse.</summary>
    public int Requests { get; init; } = DefaultRequests;

    /// <summary>Seeds the data, the kill points and the mutations: the same seed tries the same chaos.</summary>
    public int Seed { get; init; } = 22;

    public string? WritePath { get; init; }

    public string? Revision { get; init; }

    /// <summary>Where progress lines go.</summary>
    public Action<string> Log { get; init; } = Console.WriteLine;

    public bool IsDefaultSize => Kills >= DefaultKills && Restarts >= DefaultRestarts && Configs >= DefaultConfigs && Requests >= DefaultRequests && Warehouses.Count == 2;

    public const string Usage = """
        Usage: Sluice.Bench.Chaos --sluice <sluice.dll> [--write <markdown file>] [--revision <text>]
                                  [--warehouse duckdb|postgres|both] [--kills <n>] [--restarts <n>]
                                  [--configs <n>] [--requests <n>] [--seed <n>]
          --sluice     the sluice CLI to run (src/Sluice.Cli/bin/Release/net10.0/sluice.dll)
          --write      rewrite the "Chaos" section of this file (created if missing)
          --revision   what is being tested, such as a git commit, recorded in the markdown
          --warehouse  the warehouse to run against (default both)
          --kills      processes killed per warehouse (default 200)
          --restarts   source and warehouse restarts per warehouse (default 10)
          --configs    corrupt configurations per warehouse (default 100)
          --requests   hostile API requests per warehouse (default 10,000)
          --seed       seeds data, kill points and mutations (default 22)
        """;

    public static ChaosOptions Parse(IReadOnlyList<string> args)
    {
        var options = BenchArguments.Parse(args, new ChaosOptions(), Usage, (options, name, value) => name switch
        {
            "--sluice" => options with { Sluice = value },
            "--write" => options with { WritePath = value },
            "--revision" => options with { Revision = value },
            "--warehouse" => options with
            {
                Warehouses = value switch
                {
                    "duckdb" => [ChaosWarehouse.DuckDb],
                    "postgres" => [ChaosWarehouse.Postgres],
                    "both" => [ChaosWarehouse.DuckDb, ChaosWarehouse.Postgres],
                    _ => throw new ArgumentException($"--warehouse must be duckdb, postgres or both, not '{value}'.\n{Usage}"),
                },
            },
            "--kills" => options with { Kills = (int)BenchArguments.Positive(name, value, 100_000) },
            "--restarts" => options with { Restarts = (int)BenchArguments.Positive(name, value, 10_000) },
            "--configs" => options with { Configs = (int)BenchArguments.Positive(name, value, 100_000) },
            "--requests" => options with { Requests = (int)BenchArguments.Positive(name, value, 10_000_000) },
            "--seed" => options with { Seed = (int)BenchArguments.Positive(name, value, int.MaxValue) },
            _ => null,
        });
        return options.Sluice.Length == 0 ? throw new ArgumentException("--sluice is required: the sluice CLI's dll.\n" + Usage) : options;
    }
}
