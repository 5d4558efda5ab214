using Sluice.Core.Project;
using Sluice.Core.Warehouse;

namespace Sluice.Warehouses.Metadata;

/// <summary>
/// The <c>_sluice</c> schema that holds pipeline state next to the data. It is created and
/// upgraded by the numbered <see cref="Migration"/>s, each in its own transaction together with
/// the row that records it, so a crash mid-upgrade leaves the schema at the previous version.
/// </summary>
public static class MetadataSchema
{
    /// <summary>The schema's name.</summary>
    public const string Name = "_sluice";

    /// <summary>The table recording applied migrations.</summary>
    public static readonly TableName VersionTable = new(Name, "schema_version");

    /// <summary>The version this build of Sluice creates and understands.</summary>
    public static int LatestVersion => Migration.All[^1].Version;

    /// <summary>The schema's current version; 0 when it does not exist yet.</summary>
    public static async Task<int> GetVersionAsync(IWarehouseSession session, CancellationToken cancellationToken = default)
    {
        if (await session.DescribeTableAsync(VersionTable, cancellationToken) is null)
        {
            return 0;
        }

        var version = await session.ScalarAsync($"select max(version) from {session.Warehouse.Dialect.Quote(VersionTable)}", null, cancellationToken);
        return version is null ? 0 : Convert.ToInt32(version, System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Applies pending migrations up to <paramref name="targetVersion"/> (default: latest); returns the versions applied.</summary>
    public static async Task<IReadOnlyList<int>> MigrateAsync(IWarehouseSession session, int? targetVersion = null, CancellationToken cancellationToken = default)
    {
        var target = targetVersion ?? LatestVersion;
        var current = await GetVersionAsync(session, cancellationToken);
        if (current > LatestVersion)
        {
            throw new WarehouseException(
                $"The warehouse's {Name} schema is at version {current}, newer than this Sluice understands ({LatestVersion}); upgrade Sluice before using this warehouse.");
        }

        var applied = new List<int>();
        await session.CreateSchemaAsync(Name, cancellationToken);
        var transactional = session.Warehouse.Capabilities.Transactions;
        foreach (var migration in Migration.For(session.Warehouse.Engine).Where(m => m.Version > current && m.Version <= target))
        {
            // Without transactions another process may have applied it since this one looked.
            if (!transactional && await GetVersionAsync(session, cancellationToken) >= migration.Version)
            {
                continue;
            }

            try
            {
                await using var transaction = await session.BeginTransactionAsync(cancellationToken);
                if (transactional)
                {
                    await session.ExecuteAsync(migration.Sql, null, cancellationToken);
                }
                else
                {
                    await RunConvergingAsync(session, migration, cancellationToken);
                }

                await session.ExecuteAsync(
                    $"insert into {session.Warehouse.Dialect.Quote(VersionTable)} (version, name, applied_at) values ($1, $2, current_timestamp)",
                    [migration.Version, migration.Name],
                    cancellationToken);
                await transaction.CommitAsync(cancellationToken);
            }
            catch (WarehouseException e)
            {
                // Another process migrating the same warehouse at the same moment wins the race;
                // its committed version makes this attempt unnecessary rather than failed. Without
                // transactions its script may have run before its version row is written.
                if (await ReachedAsync(session, migration.Version, transactional ? TimeSpan.Zero : ConcurrentMigrationWait, cancellationToken))
                {
                    continue;
                }

                throw new WarehouseException($"Upgrading the {Name} schema to version {migration.Version} ({migration.Name}) failed: {e.Message}", e);
            }

            applied.Add(migration.Version);
        }

        if (!transactional && applied.Count > 0)
        {
            // Two processes that both ran a migration both recorded it; the version table of an
            // engine without transactions keeps one row per version by collapsing duplicates.
            await session.ExecuteAsync($"optimize table {session.Warehouse.Dialect.Quote(VersionTable)} final", null, cancellationToken);
        }

        return applied;
    }

    /// <summary>
    /// Runs a migration's statements one by one, passing over what is already there: a run that
    /// stopped halfway, or another process's run, made it. Without transactions this is what lets
    /// a migration run again to the end.
    /// </summary>
    private static async Task RunConvergingAsync(IWarehouseSession session, Migration migration, CancellationToken cancellationToken)
    {
        foreach (var statement in ClickHouse.ClickHouseSql.Statements(migration.Sql))
        {
            try
            {
                await session.ExecuteAsync(statement, null, cancellationToken);
            }
            catch (WarehouseException e) when (e.IsAlreadyExists)
            {
            }
        }
    }

    /// <summary>How long a migration that failed waits for a concurrent one to record the version, where there are no transactions.</summary>
    private static readonly TimeSpan ConcurrentMigrationWait = TimeSpan.FromSeconds(30);

    private static async Task<bool> ReachedAsync(IWarehouseSession session, int version, TimeSpan wait, CancellationToken cancellationToken)
    {
        var started = TimeProvider.System.GetTimestamp();
        while (true)
        {
            if (await GetVersionAsync(session, cancellationToken) >= version)
            {
                return true;
            }

            if (TimeProvider.System.GetElapsedTime(started) >= wait)
            {
                return false;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50), cancellationToken);
        }
    }
}
