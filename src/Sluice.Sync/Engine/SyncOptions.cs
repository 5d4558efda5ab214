namespace Sluice.Sync.Engine;

/// <summary>What a <c>sluice sync</c> run does.</summary>
/// <param name="Source">Only this source, when set.</param>
/// <param name="Tables">Only these tables, when set and not empty.</param>
/// <param name="FullRefresh">Rebuild each table from scratch and swap it in.</param>
/// <param name="Reconcile">Find rows deleted in the source by comparing primary keys.</param>
public sealed record SyncOptions(string? Source = null, IReadOnlyList<string>? Tables = null, bool FullRefresh = false, bool Reconcile = false)
{
    /// <summary>True when some tables are named: only those are synced.</summary>
    public bool NamesTables => Tables is { Count: > 0 };

    /// <summary>Whether <paramref name="table"/> is among those to sync.</summary>
    public bool Includes(string table) => !NamesTables || Tables!.Contains(table, StringComparer.Ordinal);

    /// <summary>Attempts after a transient source error (a reset connection, a restarting server).</summary>
    public int MaxRetries { get; init; } = 5;

    /// <summary>Only check parity (<c>sluice parity</c>): nothing is synced unless <see cref="Repair"/> is set too.</summary>
    public bool ParityOnly { get; init; }

    /// <summary>Sync, check parity, and re-sync the days (or, without a date column, the table) that differ.</summary>
    public bool Repair { get; init; }

    /// <summary>The first retry's delay; later ones back off exponentially.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(2);
}
