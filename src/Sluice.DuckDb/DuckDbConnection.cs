using System.Data;
using System.Data.Common;
using System.Diagnostics.CodeAnalysis;
using Sluice.DuckDb.Native;

namespace Sluice.DuckDb;

/// <summary>A connection to a DuckDB database file or an in-memory database.</summary>
public sealed class DuckDbConnection : DbConnection
{
    private string _connectionString;
    private DuckDbDatabase.Lease? _database;
    private ConnectionHandle? _connection;
    private ConnectionState _state = ConnectionState.Closed;

    /// <summary>Creates a closed connection.</summary>
    public DuckDbConnection() : this(string.Empty)
    {
    }

    /// <summary>Creates a closed connection with the given connection string.</summary>
    public DuckDbConnection(string connectionString) => _connectionString = connectionString;

    /// <summary>The version of the loaded DuckDB library, such as "v1.5.6".</summary>
    public static string LibraryVersion => DuckDbDatabase.LibraryVersion;

    /// <inheritdoc />
    [AllowNull]
    public override string ConnectionString
    {
        get => _connectionString;
        set
        {
            if (_state != ConnectionState.Closed)
            {
                throw new InvalidOperationException("The connection string cannot change while the connection is open.");
            }

            _connectionString = value ?? string.Empty;
        }
    }

    /// <inheritdoc />
    public override string Database => "main";

    /// <inheritdoc />
    public override string DataSource => new DuckDbConnectionStringBuilder(_connectionString).DataSource;

    /// <inheritdoc />
    public override string ServerVersion => LibraryVersion;

    /// <inheritdoc />
    public override ConnectionState State => _state;

    /// <summary>The open transaction, if any.</summary>
    internal DuckDbTransaction? Transaction { get; set; }

    /// <summary>The reader that currently holds the connection's streaming result.</summary>
    internal DuckDbDataReader? ActiveReader { get; set; }

    internal ConnectionHandle Handle => _connection ?? throw new InvalidOperationException("The connection is not open; call Open() first.");

    /// <inheritdoc />
    public override void Open()
    {
        if (_state == ConnectionState.Open)
        {
            throw new InvalidOperationException("The connection is already open.");
        }

        var settings = new DuckDbConnectionStringBuilder(_connectionString);
        _database = DuckDbDatabase.Open(settings);
        if (NativeMethods.duckdb_connect(_database.Handle, out var connection) != DuckDbState.Success)
        {
            connection.Dispose();
            _database.Dispose();
            _database = null;
            throw new DuckDbException($"Could not connect to DuckDB database '{settings.DataSource}'.", DuckDbErrorType.Connection);
        }

        _connection = connection;
        _state = ConnectionState.Open;
    }

    /// <inheritdoc />
    public override Task OpenAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Open();
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public override void Close()
    {
        if (_state == ConnectionState.Closed)
        {
            return;
        }

        ActiveReader?.Dispose();
        if (Transaction is { } transaction)
        {
            transaction.Dispose();
        }

        _connection?.Dispose();
        _database?.Dispose();
        _connection = null;
        _database = null;
        _state = ConnectionState.Closed;
    }

    /// <inheritdoc />
    public override void ChangeDatabase(string databaseName) =>
        throw new NotSupportedException("DuckDB connections are bound to one database; attach others with ATTACH and qualify names instead.");

    /// <summary>Creates a command on this connection.</summary>
    public new DuckDbCommand CreateCommand() => new() { Connection = this };

    /// <summary>Begins a transaction.</summary>
    public new DuckDbTransaction BeginTransaction() => BeginTransaction(IsolationLevel.Unspecified);

    /// <summary>Begins a transaction. DuckDB runs every transaction with snapshot isolation.</summary>
    public new DuckDbTransaction BeginTransaction(IsolationLevel isolationLevel) => (DuckDbTransaction)BeginDbTransaction(isolationLevel);

    /// <summary>Creates an appender that bulk-inserts rows into <paramref name="table"/>.</summary>
    public DuckDbAppender CreateAppender(string? schema, string table) => new(this, schema, table);

    /// <summary>Runs one SQL script (any number of statements) and discards results.</summary>
    public void ExecuteScript(string sql)
    {
        using var command = CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    /// <summary>
    /// Parses <paramref name="sql"/> into statements without binding or running any, and returns
    /// how many it holds (none for text that is only comments); a <see cref="DuckDbException"/>
    /// of kind Parser when it does not parse.
    /// </summary>
    public int CountStatements(string sql)
    {
        var count = NativeMethods.duckdb_extract_statements(Handle, sql, out var statements);
        using (statements)
        {
            if (count == 0 && NativeMethods.duckdb_extract_statements_error(statements) is { } error)
            {
                DuckDbException.Throw(error, DuckDbErrorType.Invalid, "The SQL could not be parsed.");
            }
        }

        return checked((int)count);
    }

    /// <summary>Stops the query running on this connection; it fails with an Interrupt error.</summary>
    public void Interrupt()
    {
        if (_connection is { IsInvalid: false, IsClosed: false } connection)
        {
            NativeMethods.duckdb_interrupt(connection);
        }
    }

    /// <inheritdoc />
    protected override DbTransaction BeginDbTransaction(IsolationLevel isolationLevel)
    {
        if (Transaction is not null)
        {
            throw new InvalidOperationException("A transaction is already open on this connection; DuckDB does not nest transactions.");
        }

        if (isolationLevel is not (IsolationLevel.Unspecified or IsolationLevel.Snapshot or IsolationLevel.Serializable or IsolationLevel.RepeatableRead or IsolationLevel.ReadCommitted))
        {
            throw new NotSupportedException($"DuckDB does not support isolation level {isolationLevel}; it runs every transaction with snapshot isolation.");
        }

        ExecuteScript("BEGIN TRANSACTION");
        Transaction = new DuckDbTransaction(this, isolationLevel);
        return Transaction;
    }

    /// <inheritdoc />
    protected override DbCommand CreateDbCommand() => CreateCommand();

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Close();
        }

        base.Dispose(disposing);
    }
}
