using System.Runtime.CompilerServices;
using Sluice.Core.Project;
using Sluice.Core.Warehouse;
using Sluice.DuckDb;

namespace Sluice.Warehouses.DuckDb;

/// <summary>
/// The embedded default: a DuckDB file. One process writes a file at a time, so
/// <see cref="WarehouseCapabilities.ConcurrentWriters"/> is false; within the process every
/// session shares one database instance. The file stays open (and locked) from the first session
/// until the warehouse is disposed: sessions opened one after another would otherwise close and
/// reopen it each time, which costs a checkpoint and tens of milliseconds.
/// </summary>
public sealed class DuckDbWarehouse : IWarehouse
{
    private static readonly WarehouseCapabilities DuckDbCapabilities = new(
        Transactions: true,
        TransactionalDdl: true,
        AtomicRename: true,
        Merge: true,
        PartitionReplace: true,
        ConcurrentWriters: false,
        ReadsLocalCsv: true)
    {
        WritesLocalParquet = true,
    };

    // Files shared by the warehouses of this process count their writes together; an in-memory
    // database is this warehouse's own.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, StrongBox<long>> FileWrites = new(StringComparer.Ordinal);

    // The holds taken in this process, by file and name, with their holders.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> Holds = new(StringComparer.Ordinal);

    private readonly string _connectionString;
    private readonly StrongBox<long> _writes;
    private readonly Lock _gate = new();
    private DuckDbConnection? _keepOpen;
    private bool _disposed;

    /// <summary>Opens (lazily) the DuckDB file named by the settings, relative to the project folder.</summary>
    public DuckDbWarehouse(DuckDbWarehouseSettings settings, string projectDirectory)
    {
        DatabasePath = settings.Path == DuckDbConnectionStringBuilder.InMemory
            ? settings.Path
            : Path.GetFullPath(Path.Combine(projectDirectory, settings.Path));
        var builder = new DuckDbConnectionStringBuilder { DataSource = DatabasePath };
        if (settings.Threads is { } threads)
        {
            builder.Threads = threads;
        }

        if (settings.MemoryLimit is { } memoryLimit)
        {
            builder.MemoryLimit = memoryLimit;
        }

        _connectionString = builder.ConnectionString;
        _writes = DatabasePath == DuckDbConnectionStringBuilder.InMemory ? new StrongBox<long>() : FileWrites.GetOrAdd(DatabasePath, _ => new StrongBox<long>());
    }

    /// <summary>The absolute path of the database file.</summary>
    public string DatabasePath { get; }

    /// <inheritdoc />
    public string Engine => "duckdb";

    /// <inheritdoc />
    public string DisplayLocation => DatabasePath;

    /// <inheritdoc />
    public WarehouseCapabilities Capabilities => DuckDbCapabilities;

    /// <inheritdoc />
    public ISqlDialect Dialect => DuckDbDialect.Instance;

    /// <inheritdoc />
    /// <remarks>Another process cannot open the file while this one has it, so every write is counted here.</remarks>
    public long? WritesInProcess => Interlocked.Read(ref _writes.Value);

    /// <inheritdoc />
    public Task<IWarehouseSession> OpenSessionAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var directory = Path.GetDirectoryName(DatabasePath);
        if (!string.IsNullOrEmpty(directory) && DatabasePath != DuckDbConnectionStringBuilder.InMemory)
        {
            Directory.CreateDirectory(directory);
        }

        var connection = new DuckDbConnection(_connectionString);
        try
        {
            connection.Open();
        }
        catch (DuckDbException e)
        {
            connection.Dispose();
            throw DuckDbErrors.Translate(e, $"opening the warehouse {DatabasePath}");
        }

        KeepOpen();
        return Task.FromResult<IWarehouseSession>(new DuckDbWarehouseSession(this, connection));
    }

    /// <inheritdoc />
    /// <remarks>
    /// DuckDB lets one process open a file, and this warehouse keeps it open once a session has:
    /// the hold is that, plus a note that this process has taken it. Who holds a file from
    /// another process is known from its announcement (<see cref="ServingHolder"/>).
    /// </remarks>
    public async Task<IAsyncDisposable?> TryHoldAsync(string name, string holder, CancellationToken cancellationToken = default)
    {
        var key = DatabasePath + "\n" + name;
        if (!Holds.TryAdd(key, holder))
        {
            return null;
        }

        try
        {
            await using var session = await OpenSessionAsync(cancellationToken);
        }
        catch (WarehouseException e) when (e.InnerException is DuckDbException error && DuckDbErrors.IsLockConflict(error))
        {
            Holds.TryRemove(key, out _);
            return null;
        }
        catch
        {
            Holds.TryRemove(key, out _);
            throw;
        }

        return new Release(key);
    }

    /// <inheritdoc />
    public Task<string?> FindHolderAsync(string name, CancellationToken cancellationToken = default) =>
        Task.FromResult(
            Holds.TryGetValue(DatabasePath + "\n" + name, out var here) ? $"{here} (this process)"
            : DatabasePath == DuckDbConnectionStringBuilder.InMemory ? null
            : ServingHolder.Find(DatabasePath)?.ToString());

    /// <inheritdoc />
    /// <remarks>Parses in an in-memory database of its own; the warehouse's file is not opened.</remarks>
    public Task<ISqlSyntaxCheck> OpenSyntaxCheckAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult<ISqlSyntaxCheck>(DuckDbSyntaxCheck.Open());
    }

    /// <summary>Counts a write, after it is done (or failed): a statement outside a transaction, or a transaction's end.</summary>
    internal void Wrote() => Interlocked.Increment(ref _writes.Value);

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        lock (_gate)
        {
            _disposed = true;
            _keepOpen?.Dispose();
            _keepOpen = null;
        }

        return ValueTask.CompletedTask;
    }

    // An idle connection that holds the shared database open between sessions.
    private void KeepOpen()
    {
        if (DatabasePath == DuckDbConnectionStringBuilder.InMemory)
        {
            return;
        }

        lock (_gate)
        {
            if (_keepOpen is not null || _disposed)
            {
                return;
            }

            var connection = new DuckDbConnection(_connectionString);
            connection.Open();
            _keepOpen = connection;
        }
    }

    private sealed class Release(string key) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            Holds.TryRemove(key, out _);
            return ValueTask.CompletedTask;
        }
    }
}
