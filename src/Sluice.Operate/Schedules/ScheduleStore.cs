using Sluice.Core.Warehouse;
using Sluice.Warehouses.Metadata;

namespace Sluice.Operate.Schedules;

/// <summary>
/// Reads and writes the schedules' state in <c>_sluice</c>: a run's RUNNING row is committed as
/// it starts, so that a killed scheduler leaves a trace the next one finds; the finished row and
/// the schedule's last tick are written in one transaction, so that a restart never runs a tick
/// again that was recorded as run, and never skips one that was not.
/// On an engine without transactions (ClickHouse) a schedule's row is replaced by deleting it
/// and inserting the new one, after the run's row is finished: a crash between the statements
/// leaves no row, or an old one, and <see cref="LoadAsync"/> then takes the last tick from the
/// finished runs, so that a tick recorded as run is still never run again.
/// </summary>
public static class ScheduleStore
{
    /// <summary>One row per run.</summary>
    public static readonly TableName Runs = new(MetadataSchema.Name, "schedule_runs");

    /// <summary>One row per schedule: last tick and next due time.</summary>
    public static readonly TableName Standings = new(MetadataSchema.Name, "schedules");

    /// <summary>Each schedule's standing, by name.</summary>
    public static async Task<IReadOnlyDictionary<string, ScheduleStanding>> LoadAsync(IWarehouseSession session, CancellationToken cancellationToken)
    {
        var standings = new Dictionary<string, ScheduleStanding>(StringComparer.Ordinal);
        await using (var reader = await session.QueryAsync(
            $"select name, last_tick, last_status, next_due, updated_at from {session.Warehouse.Dialect.Quote(Standings)}", null, cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var standing = new ScheduleStanding(
                    reader.GetString(0),
                    reader.IsDBNull(1) ? null : reader.GetFieldValue<DateTimeOffset>(1),
                    reader.IsDBNull(2) ? null : reader.GetString(2),
                    reader.IsDBNull(3) ? null : reader.GetFieldValue<DateTimeOffset>(3),
                    reader.GetFieldValue<DateTimeOffset>(4));

                // Without transactions a replaced row may be read beside its successor: the newest wins.
                if (!standings.TryGetValue(standing.Name, out var seen) || seen.UpdatedAt <= standing.UpdatedAt)
                {
                    standings[standing.Name] = standing;
                }
            }
        }

        if (!session.Warehouse.Capabilities.Transactions)
        {
            await CatchUpFromRunsAsync(session, standings, cancellationToken);
        }

        return standings;
    }

    // A crash between a run's finished row and its schedule's row leaves the tick recorded only
    // in the run: the latest tick of a finished run counts as the schedule's last.
    private static async Task CatchUpFromRunsAsync(IWarehouseSession session, Dictionary<string, ScheduleStanding> standings, CancellationToken cancellationToken)
    {
        var finished = new List<(string Name, DateTimeOffset Tick)>();
        await using (var reader = await session.QueryAsync(
            $"select schedule_name, max(scheduled_for) from {session.Warehouse.Dialect.Quote(Runs)} where scheduled_for is not null and status in ('{RunStatus.Success}', '{RunStatus.Failed}', '{RunStatus.TimedOut}') group by schedule_name",
            null,
            cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                if (!reader.IsDBNull(1))
                {
                    finished.Add((reader.GetString(0), reader.GetFieldValue<DateTimeOffset>(1)));
                }
            }
        }

        foreach (var (name, tick) in finished)
        {
            var standing = standings.GetValueOrDefault(name);
            if (standing?.LastTick is not { } last || last < tick)
            {
                standings[name] = new ScheduleStanding(name, tick, standing?.LastStatus, standing?.NextDue, standing?.UpdatedAt ?? tick);
            }
        }
    }

    /// <summary>
    /// Marks the runs still RUNNING as INTERRUPTED and returns them (id and schedule). Call only
    /// while this process is the project's one scheduler: then no other run can be going.
    /// </summary>
    public static async Task<IReadOnlyList<(string Id, string Schedule)>> InterruptLeftoversAsync(IWarehouseSession session, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var table = session.Warehouse.Dialect.Quote(Runs);
        var leftovers = new List<(string, string)>();
        await using (var reader = await session.QueryAsync($"select id, schedule_name from {table} where status = 'RUNNING'", null, cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                leftovers.Add((reader.GetString(0), reader.GetString(1)));
            }
        }

        if (leftovers.Count > 0)
        {
            await session.ExecuteAsync(
                $"update {table} set status = 'INTERRUPTED', completed_at = $1, error_message = 'the process running it stopped before it finished' where status = 'RUNNING'",
                [now],
                cancellationToken);
        }

        return leftovers;
    }

    /// <summary>Records that a run starts; returns its id. Call outside any transaction.</summary>
    public static async Task<string> StartAsync(IWarehouseSession session, string schedule, string reason, DateTimeOffset? tick, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var id = Guid.CreateVersion7().ToString("N");
        await session.ExecuteAsync(
            $"insert into {session.Warehouse.Dialect.Quote(Runs)} (id, schedule_name, reason, scheduled_for, status, attempts, started_at, host, pid) values ($1, $2, $3, $4, 'RUNNING', 1, $5, $6, $7)",
            [id, schedule, reason, tick, now, Environment.MachineName, Environment.ProcessId],
            cancellationToken);
        return id;
    }

    /// <summary>Records that attempt <paramref name="attempt"/> of a run starts.</summary>
    public static Task RecordAttemptAsync(IWarehouseSession session, string id, int attempt, CancellationToken cancellationToken) =>
        session.ExecuteAsync($"update {session.Warehouse.Dialect.Quote(Runs)} set attempts = $2 where id = $1", [id, attempt], cancellationToken);

    /// <summary>
    /// Finishes a run with <paramref name="status"/> and, for a cron tick, records the tick as the
    /// schedule's last together with its next due time, in one transaction.
    /// </summary>
    public static async Task FinishAsync(
        IWarehouseSession session, string id, string schedule, DateTimeOffset? tick, string status, int? exitCode, string? error,
        DateTimeOffset startedAt, DateTimeOffset now, DateTimeOffset? nextDue, CancellationToken cancellationToken)
    {
        if (!session.Warehouse.Capabilities.Transactions)
        {
            // The run's row first: a crash after it leaves the tick recorded there (see LoadAsync).
            await FinishRunAsync(session, id, status, exitCode, error, startedAt, now, cancellationToken);
            if (tick is not null)
            {
                await ReplaceAsync(session, new ScheduleStanding(schedule, tick, status, nextDue, now), cancellationToken);
            }

            return;
        }

        await using var transaction = await session.BeginTransactionAsync(cancellationToken);
        await FinishRunAsync(session, id, status, exitCode, error, startedAt, now, cancellationToken);
        if (tick is not null)
        {
            await session.ExecuteAsync(
                $"""
                insert into {session.Warehouse.Dialect.Quote(Standings)} (name, last_tick, last_status, next_due, updated_at) values ($1, $2, $3, $4, $5)
                on conflict (name) do update set last_tick = excluded.last_tick, last_status = excluded.last_status, next_due = excluded.next_due, updated_at = excluded.updated_at
                """,
                [schedule, tick, status, nextDue, now],
                cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Records when <paramref name="schedule"/> is due next, keeping its last tick.</summary>
    public static async Task PlanAsync(IWarehouseSession session, string schedule, DateTimeOffset? nextDue, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (!session.Warehouse.Capabilities.Transactions)
        {
            var standing = (await LoadAsync(session, cancellationToken)).GetValueOrDefault(schedule);
            await ReplaceAsync(session, new ScheduleStanding(schedule, standing?.LastTick, standing?.LastStatus, nextDue, now), cancellationToken);
            return;
        }

        await session.ExecuteAsync(
            $"""
            insert into {session.Warehouse.Dialect.Quote(Standings)} (name, next_due, updated_at) values ($1, $2, $3)
            on conflict (name) do update set next_due = excluded.next_due, updated_at = excluded.updated_at
            """,
            [schedule, nextDue, now],
            cancellationToken);
    }

    private static Task FinishRunAsync(
        IWarehouseSession session, string id, string status, int? exitCode, string? error, DateTimeOffset startedAt, DateTimeOffset now, CancellationToken cancellationToken) =>
        session.ExecuteAsync(
            $"update {session.Warehouse.Dialect.Quote(Runs)} set status = $2, exit_code = $3, error_message = $4, completed_at = $5, duration_ms = $6 where id = $1 and status = 'RUNNING'",
            [id, status, exitCode, error is null ? null : Truncate(error), now, (long)(now - startedAt).TotalMilliseconds],
            cancellationToken);

    // Without ON CONFLICT: the successor goes in first, then the rows it replaces go, so a reader
    // always finds the schedule; of two rows it takes the newer (LoadAsync). The successor's time
    // is after theirs, which whole-second timestamps could otherwise tie. A crash between the two
    // leaves both, which the next replace clears.
    private static async Task ReplaceAsync(IWarehouseSession session, ScheduleStanding standing, CancellationToken cancellationToken)
    {
        var table = session.Warehouse.Dialect.Quote(Standings);
        DateTimeOffset? newest = null;
        await using (var reader = await session.QueryAsync($"select max(updated_at) from {table} where name = $1", [standing.Name], cancellationToken))
        {
            if (await reader.ReadAsync(cancellationToken) && !reader.IsDBNull(0))
            {
                newest = reader.GetFieldValue<DateTimeOffset>(0);
            }
        }

        var stamp = newest is { } previous && previous >= standing.UpdatedAt ? previous.AddSeconds(1) : standing.UpdatedAt;
        await session.ExecuteAsync(
            $"insert into {table} (name, last_tick, last_status, next_due, updated_at) values ($1, $2, $3, $4, $5)",
            [standing.Name, standing.LastTick, standing.LastStatus, standing.NextDue, stamp],
            cancellationToken);
        await session.ExecuteAsync($"delete from {table} where name = $1 and updated_at < $2", [standing.Name, stamp], cancellationToken);
    }

    private static string Truncate(string text) => text.Length <= 4000 ? text : text[..4000] + "…";
}
