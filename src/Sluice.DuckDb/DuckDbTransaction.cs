using System.Data;
using System.Data.Common;

namespace Sluice.DuckDb;

/// <summary>A DuckDB transaction; disposing it without a commit rolls it back.</summary>
public sealed class DuckDbTransaction : DbTransaction
{
    private readonly DuckDbConnection _connection;
    private bool _completed;
    private string? _failure;

    internal DuckDbTransaction(DuckDbConnection connection, IsolationLevel isolationLevel)
    {
        _connection = connection;
        IsolationLevel = isolationLevel;
    }

    /// <inheritdoc />
    public override IsolationLevel IsolationLevel { get; }

    /// <inheritdoc />
    protected override DbConnection DbConnection => _connection;

    /// <inheritdoc />
    public override void Commit() => Complete("COMMIT");

    /// <inheritdoc />
    public override void Rollback() => Complete("ROLLBACK");

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing && !_completed)
        {
            // A failed statement can leave DuckDB's transaction already aborted; rolling back
            // is then still what the caller wants, and an error here would hide the first one.
            try
            {
                Complete("ROLLBACK");
            }
            catch (DuckDbException)
            {
                _completed = true;
                _connection.Transaction = null;
            }
        }

        base.Dispose(disposing);
    }

    /// <summary>
    /// DuckDB aborts a transaction when one of its statements fails, and then reports a COMMIT as
    /// successful although nothing is kept; the first failure is remembered so that a commit
    /// says what happened.
    /// </summary>
    internal void MarkFailed(string message) => _failure ??= message;

    private void Complete(string statement)
    {
        if (_completed)
        {
            throw new InvalidOperationException("The transaction has already been committed or rolled back.");
        }

        // Checked before any state changes: the transaction must stay usable when this throws.
        if (_connection.ActiveReader is not null)
        {
            throw new InvalidOperationException($"Dispose the open data reader before {statement.ToLowerInvariant()}ting the transaction.");
        }

        // As in PostgreSQL, a failed statement dooms its transaction: what ran before it is
        // not committed half-way.
        var failed = statement == "COMMIT" && _failure is not null;
        try
        {
            _connection.ExecuteScript(failed ? "ROLLBACK" : statement);
        }
        finally
        {
            // Once DuckDB has seen COMMIT or ROLLBACK, successful or not, its transaction is over.
            _completed = true;
            _connection.Transaction = null;
        }

        if (failed)
        {
            throw new DuckDbException(
                $"The transaction was rolled back, not committed, because a statement in it failed: {_failure}",
                DuckDbErrorType.Transaction);
        }
    }
}
