using System.Data;
using System.Data.Common;
using System.Diagnostics.CodeAnalysis;
using Sluice.DuckDb.Data;

namespace Sluice.DuckDb;

/// <summary>
/// A SQL command: one statement or a script of several, with parameters. Cancel() interrupts the
/// running query through duckdb_interrupt.
/// </summary>
public sealed class DuckDbCommand : DbCommand
{
    private string _commandText = string.Empty;
    private DuckDbConnection? _connection;

    /// <inheritdoc />
    [AllowNull]
    public override string CommandText
    {
        get => _commandText;
        set => _commandText = value ?? string.Empty;
    }

    /// <summary>Seconds before the command is interrupted; 0 waits forever (the default).</summary>
    public override int CommandTimeout { get; set; }

    /// <inheritdoc />
    public override CommandType CommandType
    {
        get => CommandType.Text;
        set
        {
            if (value != CommandType.Text)
            {
                throw new NotSupportedException("DuckDB commands are SQL text only.");
            }
        }
    }

    /// <inheritdoc />
    public override bool DesignTimeVisible { get; set; }

    /// <inheritdoc />
    public override UpdateRowSource UpdatedRowSource { get; set; }

    /// <summary>The connection the command runs on.</summary>
    public new DuckDbConnection? Connection
    {
        get => _connection;
        set => _connection = value;
    }

    /// <summary>The command's parameters.</summary>
    public new DuckDbParameterCollection Parameters { get; } = new();

    /// <inheritdoc />
    protected override DbConnection? DbConnection
    {
        get => _connection;
        set => _connection = (DuckDbConnection?)value;
    }

    /// <inheritdoc />
    protected override DbParameterCollection DbParameterCollection => Parameters;

    /// <inheritdoc />
    protected override DbTransaction? DbTransaction { get; set; }

    /// <inheritdoc />
    public override void Cancel() => _connection?.Interrupt();

    /// <inheritdoc />
    public override int ExecuteNonQuery() => ExecuteNonQuery(CancellationToken.None);

    /// <inheritdoc />
    public override Task<int> ExecuteNonQueryAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(ExecuteNonQuery(cancellationToken));
    }

    /// <inheritdoc />
    public override object? ExecuteScalar() => ExecuteScalar(CancellationToken.None);

    /// <inheritdoc />
    public override Task<object?> ExecuteScalarAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(ExecuteScalar(cancellationToken));
    }

    /// <summary>Executes the command and returns a streaming reader.</summary>
    public new DuckDbDataReader ExecuteReader() => (DuckDbDataReader)ExecuteDbDataReader(CommandBehavior.Default);

    /// <inheritdoc />
    public override void Prepare()
    {
        // Statements are prepared when they run; a script's later statements may depend on
        // objects its earlier ones create, so preparing ahead of time would be wrong.
    }

    /// <inheritdoc />
    protected override DbParameter CreateDbParameter() => new DuckDbParameter();

    /// <inheritdoc />
    protected override DbDataReader ExecuteDbDataReader(CommandBehavior behavior) => ExecuteReader(CancellationToken.None);

    /// <inheritdoc />
    protected override Task<DbDataReader> ExecuteDbDataReaderAsync(CommandBehavior behavior, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult<DbDataReader>(ExecuteReader(cancellationToken));
    }

    private DuckDbDataReader ExecuteReader(CancellationToken cancellationToken)
    {
        var connection = OpenConnection();
        var timeout = Timeout(cancellationToken, out var token);
        StatementRunner? runner = null;
        try
        {
            runner = new StatementRunner(connection, _commandText, Parameters);
            return new DuckDbDataReader(connection, runner, token, timeout);
        }
        catch
        {
            // The reader disposes both when it was created; here it was not.
            runner?.Dispose();
            timeout?.Dispose();
            throw;
        }
    }

    private object? ExecuteScalar(CancellationToken cancellationToken)
    {
        using var reader = ExecuteReader(cancellationToken);
        return reader.Read() && reader.FieldCount > 0 ? reader.GetValue(0) : null;
    }

    private int ExecuteNonQuery(CancellationToken cancellationToken)
    {
        using var reader = ExecuteReader(cancellationToken);
        while (reader.NextResult())
        {
        }

        return reader.RecordsAffected;
    }

    private DuckDbConnection OpenConnection()
    {
        var connection = _connection ?? throw new InvalidOperationException("The command has no connection.");
        if (connection.State != ConnectionState.Open)
        {
            throw new InvalidOperationException("The command's connection is not open; call Open() first.");
        }

        if (connection.ActiveReader is not null)
        {
            throw new InvalidOperationException("The connection already has an open data reader; dispose it before running another command.");
        }

        return connection;
    }

    private CancellationTokenSource? Timeout(CancellationToken cancellationToken, out CancellationToken token)
    {
        if (CommandTimeout <= 0)
        {
            token = cancellationToken;
            return null;
        }

        var source = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        source.CancelAfter(TimeSpan.FromSeconds(CommandTimeout));
        token = source.Token;
        return source;
    }
}
