namespace Sluice.Cli.Output;

/// <summary>How many rows were printed, and whether the limit cut the result short.</summary>
internal sealed record ResultSummary(int Rows, bool Truncated);
