using System.Security.Cryptography;
using System.Text;
using Sluice.Core.Warehouse;
using Sluice.Warehouses.Metadata;
using Sluice.Warehouses.Values;

namespace Sluice.Server.Queries;

/// <summary>
/// The warehouse's data version: a digest of the last successful job run, sync and CSV load
/// recorded in <c>_sluice</c>, of the runs full refreshes superseded (a full refresh drops its
/// table before any partition is built again), and of the batches a running sync has committed.
/// Every sync and build changes it, so cached answers keyed by it are never older than the data.
/// </summary>
/// <remarks>
/// Each caller gets a version read that started after it asked, so a build finished before a
/// request is always seen by it; callers arriving while a read runs share the next one, which
/// keeps the cost at one small query per round trip however many requests arrive. When only this
/// process can write to the warehouse (<see cref="IWarehouse.WritesInProcess"/>: a DuckDB file),
/// a version read that started after the last write is still current and is answered without
/// asking the engine.
/// </remarks>
public sealed class DataVersions(IWarehouse warehouse)
{
    private readonly Lock _gate = new();
    private Task<string>? _running;
    private Task<string>? _next;

    // The last version read and the write count seen before the read started.
    private Known? _known;

    /// <summary>The version as of now.</summary>
    public Task<string> CurrentAsync()
    {
        if (warehouse.WritesInProcess is { } writes && Volatile.Read(ref _known) is { } known && known.Writes == writes)
        {
            return known.Version;
        }

        lock (_gate)
        {
            if (_next is not null)
            {
                return _next;
            }

            if (_running is null || _running.IsCompleted)
            {
                _running = ReadAsync();
                return _running;
            }

            _next = AfterAsync(_running);
            return _next;
        }
    }

    private async Task<string> AfterAsync(Task<string> running)
    {
        // Always yields, even when the running read has just finished: the caller holding the
        // gate must store this task as _next before the code below clears it, or _next would
        // keep a finished read and every later caller would get its old version. A failed read
        // is its own callers' failure; this one starts afresh.
        await ((Task)running).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing | ConfigureAwaitOptions.ForceYielding);

        Task<string> read;
        lock (_gate)
        {
            read = ReadAsync();
            _running = read;
            _next = null;
        }

        return await read;
    }

    private async Task<string> ReadAsync()
    {
        await Task.Yield();
        var writes = warehouse.WritesInProcess;
        var version = await QueryAsync();
        if (writes is { } seen)
        {
            lock (_gate)
            {
                if (_known is null || _known.Writes <= seen)
                {
                    Volatile.Write(ref _known, new Known(seen, Task.FromResult(version)));
                }
            }
        }

        return version;
    }

    private Task<string> QueryAsync()
    {
        var schema = warehouse.Dialect.Quote(MetadataSchema.Name);
        return warehouse.ReadAsync(async (session, cancellationToken) =>
        {
            await using var reader = await session.QueryAsync(
                $"""
                select
                    (select max(completed_at) from {schema}.job_runs where status = 'SUCCESS'),
                    (select count(*) from {schema}.job_runs where status = 'SUCCESS'),
                    (select count(superseded_by) from {schema}.job_runs),
                    (select max(completed_at) from {schema}.sync_runs where status = 'success'),
                    (select sum(rows_upserted + rows_deleted) from {schema}.sync_runs where status = 'running'),
                    (select max(loaded_at) from {schema}.csv_files)
                """,
                cancellationToken: cancellationToken);
            var text = new StringBuilder();
            if (await reader.ReadAsync(cancellationToken))
            {
                for (var i = 0; i < reader.FieldCount; i++)
                {
                    text.Append(ValueText.Format(reader.GetValue(i))).Append('|');
                }
            }

            return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..16];
        });
    }

    private sealed record Known(long Writes, Task<string> Version);
}
