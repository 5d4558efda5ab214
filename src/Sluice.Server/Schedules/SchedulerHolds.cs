using Sluice.Core.Project;
using Sluice.Core.Warehouse;
using Sluice.Operate.Schedules;
using Sluice.Server.Cache;

namespace Sluice.Server.Schedules;

/// <summary>
/// Chooses where a project's scheduler hold is kept: in the warehouse when its engine can hold
/// one (DuckDB, PostgreSQL), else in the shared Redis of <c>serve.cache</c> (ClickHouse).
/// </summary>
public static class SchedulerHolds
{
    /// <summary>Throws the one-line error of a warehouse that cannot hold when no Redis is configured.</summary>
    /// <exception cref="ConfigurationException">Neither can hold.</exception>
    public static void Check(IWarehouse warehouse, RedisLocation? redis, string project)
    {
        if (redis is null && !WarehouseHolds.CanHold(warehouse))
        {
            throw new ConfigurationException($"the schedules of {project} must run in one process, and a {warehouse.Engine} warehouse cannot decide which: set serve.cache to a Redis URL (redis://host:6379) in sluice.yml, where the scheduler's lease is then kept.");
        }
    }

    /// <summary>The holds for <paramref name="warehouse"/>; the caller disposes the result when it is disposable.</summary>
    /// <exception cref="ConfigurationException">The warehouse cannot hold and no Redis is configured.</exception>
    public static ISchedulerHolds For(
        IWarehouse warehouse, RedisLocation? redis, string project, TimeSpan leaseTimeToLive, TimeProvider clock, Action<string, IReadOnlyDictionary<string, object?>> log)
    {
        if (WarehouseHolds.CanHold(warehouse))
        {
            return new WarehouseHolds(warehouse);
        }

        Check(warehouse, redis, project);
        return new RedisSchedulerHolds(redis!, leaseTimeToLive, clock, log);
    }

    /// <summary>How often a standby asks for the hold: no slower than a third of a lease's time to live, so that it takes over soon after the lease runs out.</summary>
    public static TimeSpan StandbyPoll(ISchedulerHolds holds, TimeSpan poll) =>
        holds is RedisSchedulerHolds redis && redis.TimeToLive / 3 < poll ? redis.TimeToLive / 3 : poll;
}
