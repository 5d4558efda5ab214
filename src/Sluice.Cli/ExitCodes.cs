namespace Sluice.Cli;

/// <summary>What <c>sluice</c> exits with; scripts branch on these.</summary>
internal static class ExitCodes
{
    /// <summary>Everything worked.</summary>
    public const int Success = 0;

    /// <summary>A runtime failure: the warehouse could not be reached, an I/O error, a bug.</summary>
    public const int Failure = 1;

    /// <summary>The user's mistake: usage, configuration, or SQL that the engine rejected.</summary>
    public const int Usage = 2;

    /// <summary>Interrupted by Ctrl+C, as shells report SIGINT (128 + 2).</summary>
    public const int Cancelled = 130;
}
