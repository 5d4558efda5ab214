using System.Data;
using System.Data.Common;

namespace Sluice.DuckDb;

/// <summary>A DuckDB transaction; disposing it without a commit rolls it back.</summary>
public sealed class DuckDbTransaction : DbTransaction
{
    private readonly DuckDbConnection _connection;
    private bool _completed;

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

    private void Complete(string statement)
    {
        if (_completed)
        {
            throw new InvalidOperationException("The transaction has already been committed or rolled back.");
        }

        _completed = true;
        _connection.Transaction = null;
        _connection.ExecuteScript(statement);
    }
}
