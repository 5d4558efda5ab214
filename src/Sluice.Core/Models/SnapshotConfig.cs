using Sluice.Core.Project;
using Sluice.Core.Templating;

namespace Sluice.Core.Models;

/// <summary>How a snapshot notices that a row changed.</summary>
public enum SnapshotStrategy
{
    /// <summary>The row's <c>updated_at</c> column is newer than the current version's.</summary>
    Timestamp,

    /// <summary>One of the <c>check_cols</c> differs from the current version.</summary>
    Check,
}

/// <summary>The names of the columns a snapshot adds to the source's.</summary>
/// <param name="ScdId">The surrogate key of each version.</param>
/// <param name="UpdatedAt">The time the version was read as of (the updated_at value, or the run's time).</param>
/// <param name="ValidFrom">When the version became current.</param>
/// <param name="ValidTo">When it stopped being current; NULL while it is.</param>
/// <param name="IsCurrent">True for the current version of each key.</param>
public sealed record SnapshotColumns(string ScdId, string UpdatedAt, string ValidFrom, string ValidTo, string IsCurrent)
{
    /// <summary>Sluice's names.</summary>
    public static SnapshotColumns Sluice { get; } = new("scd_id", "snapshot_updated_at", "effective_from", "effective_to", "is_current");

    /// <summary>dbt's names, for dbt projects, whose queries expect them.</summary>
    public static SnapshotColumns Dbt { get; } = new("dbt_scd_id", "dbt_updated_at", "dbt_valid_from", "dbt_valid_to", "dbt_is_current");

    /// <summary>Every added column, in the order they follow the source's columns.</summary>
    public IReadOnlyList<string> All => [ScdId, UpdatedAt, ValidFrom, ValidTo, IsCurrent];
}

/// <summary>The configs of an SCD Type 2 snapshot.</summary>
/// <param name="Strategy">Timestamp or check.</param>
/// <param name="UniqueKey">The columns that identify a row of the source.</param>
/// <param name="UpdatedAt">The timestamp column (timestamp strategy).</param>
/// <param name="CheckColumns">The columns compared (check strategy); empty means all.</param>
/// <param name="InvalidateHardDeletes">Close the current version of keys that left the source.</param>
/// <param name="TargetSchema">The schema named by <c>target_schema</c>, taken as written.</param>
public sealed record SnapshotConfig(
    SnapshotStrategy Strategy,
    IReadOnlyList<string> UniqueKey,
    string? UpdatedAt,
    IReadOnlyList<string> CheckColumns,
    bool InvalidateHardDeletes,
    string? TargetSchema)
{
    /// <summary>Reads and checks a snapshot's configs.</summary>
    public static SnapshotConfig Read(NodeConfig config, IReadOnlyList<string> uniqueKey, string file)
    {
        if (config.Get("strategy") is null)
        {
            throw new ConfigurationException($"{file}: the snapshot needs a strategy; add strategy='timestamp' with updated_at='<column>', or strategy='check' with check_cols=['<column>', …].");
        }

        var strategy = ModelConfig.ReadChoice(config, "strategy", SnapshotStrategy.Timestamp, new()
        {
            ["timestamp"] = SnapshotStrategy.Timestamp,
            ["check"] = SnapshotStrategy.Check,
        });
        if (uniqueKey.Count == 0)
        {
            throw new ConfigurationException($"{file}: the snapshot needs a unique_key, the column (or columns) that identify a row of its source.");
        }

        var updatedAt = ModelConfig.ReadText(config, "updated_at");
        if (strategy == SnapshotStrategy.Timestamp && updatedAt is null)
        {
            throw config.Error("strategy", "is 'timestamp', which needs updated_at='<column>' naming the source's last-change time.");
        }

        IReadOnlyList<string> checkColumns = config.Get("check_cols")?.Value is string all && all.Equals("all", StringComparison.OrdinalIgnoreCase)
            ? []
            : ModelConfig.ReadNames(config, "check_cols");
        if (strategy == SnapshotStrategy.Check && config.Get("check_cols") is null)
        {
            throw config.Error("strategy", "is 'check', which needs check_cols=['<column>', …] or check_cols='all'.");
        }

        var invalidate = ModelConfig.ReadBool(config, "invalidate_hard_deletes") ?? false;
        if (config.Get("hard_deletes")?.Value is { } hardDeletes)
        {
            invalidate = TemplateValues.Render(hardDeletes).ToLowerInvariant() switch
            {
                "ignore" => false,
                "invalidate" => true,
                _ => throw config.Error("hard_deletes", $"is '{TemplateValues.Render(hardDeletes)}'; use 'ignore' or 'invalidate'."),
            };
        }

        return new SnapshotConfig(strategy, uniqueKey, updatedAt, checkColumns, invalidate, ModelConfig.ReadText(config, "target_schema"));
    }
}
