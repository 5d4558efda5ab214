namespace Sluice.Bench;

/// <summary>Command-line settings of the serving benchmark; smaller sizes are smoke tests and say so.</summary>
internal sealed record ServeBenchOptions
{
    public const long DefaultRows = 10_000_000;
    public const long DefaultEvents = 1_000_000;
    public const int DefaultSeconds = 15;
    public const int DefaultConnections = 64;

    /// <summary>The sluice CLI's dll, run with dotnet.</summary>
    public string? Sluice { get; init; }

    /// <summary>Rows of the fact table behind the trend and cohorts.</summary>
    public long Rows { get; init; } = DefaultRows;

    /// <summary>Rows of the event table behind the funnel.</summary>
    public long Events { get; init; } = DefaultEvents;

    /// <summary>Seconds of load per measurement.</summary>
    public int Seconds { get; init; } = DefaultSeconds;

    /// <summary>Connections of the cached-trend load.</summary>
    public int Connections { get; init; } = DefaultConnections;

    public string? WritePath { get; init; }

    public string? Revision { get; init; }

    public bool IsDefaultSize => Rows == DefaultRows && Events == DefaultEvents && Seconds >= DefaultSeconds && Connections == DefaultConnections;

    public const string Usage = """
        Usage: Sluice.Bench.Serve --sluice <sluice.dll> [--write <markdown file>] [--revision <text>] [--rows <n>] [--events <n>] [--seconds <n>] [--connections <n>]
          --sluice       the sluice CLI to serve with (src/Sluice.Cli/bin/Release/net10.0/sluice.dll)
          --write        rewrite the "Serve" section of this file (created if missing)
          --revision     what is being measured, such as a git commit, recorded in the markdown
          --rows         rows of the fact table behind trends and cohorts (default 10000000)
          --events       rows of the event table behind the funnel (default 1000000)
          --seconds      seconds of load per measurement (default 15)
          --connections  connections of the cached-trend load (default 64)
        """;

    public static ServeBenchOptions Parse(IReadOnlyList<string> args)
    {
        var options = BenchArguments.Parse(args, new ServeBenchOptions(), Usage, (options, name, value) => name switch
        {
            "--sluice" => options with { Sluice = value },
            "--write" => options with { WritePath = value },
            "--revision" => options with { Revision = value },
            "--rows" => options with { Rows = BenchArguments.Positive(name, value) },
            "--events" => options with { Events = BenchArguments.Positive(name, value) },
            "--seconds" => options with { Seconds = (int)BenchArguments.Positive(name, value, 3600) },
            "--connections" => options with { Connections = (int)BenchArguments.Positive(name, value, 10_000) },
            _ => null,
        });
        return options.Sluice is null ? throw new ArgumentException("--sluice is required: the sluice CLI's dll.\n" + Usage) : options;
    }
}
