using Sluice.DuckDb.Native;

namespace Sluice.DuckDb.Data;

/// <summary>
/// Runs the statements of one command text in order. Each statement is prepared only when its
/// turn comes, because a later statement may refer to a table that an earlier one creates.
/// </summary>
internal sealed class StatementRunner : IDisposable
{
    private const int SelectStatement = 1;

    private readonly DuckDbConnection _connection;
    private readonly DuckDbParameterCollection _parameters;
    private readonly ExtractedStatementsHandle _statements;
    private readonly ulong _count;
    private ulong _next;

    public StatementRunner(DuckDbConnection connection, string sql, DuckDbParameterCollection parameters)
    {
        _connection = connection;
        _parameters = parameters;
        _count = NativeMethods.duckdb_extract_statements(connection.Handle, sql, out _statements);
        if (_count == 0)
        {
            var error = NativeMethods.duckdb_extract_statements_error(_statements);
            _statements.Dispose();
            if (error is not null)
            {
                DuckDbException.Throw(error, DuckDbErrorType.Invalid, "The SQL could not be parsed.");
            }
        }
    }

    public bool HasNext => _next < _count;

    /// <summary>
    /// Executes the next statement. SELECTs stream chunk by chunk; other statements are
    /// materialized so that their changed-row counts are known.
    /// </summary>
    public unsafe ResultHandle ExecuteNext(CancellationToken cancellationToken)
    {
        var index = _next++;
        PreparedStatementHandle? statement = null;
        try
        {
            statement = Prepare(index);
            ParameterBinder.Bind(statement, _parameters);
        }
        catch (DuckDbException e)
        {
            statement?.Dispose();
            _connection.Transaction?.MarkFailed(e.Message);
            ThrowIfCancelled(e, cancellationToken);
            throw;
        }

        using var prepared = statement;

        var result = ResultHandle.Allocate();
        try
        {
            // SELECTs stream; other statements are materialized so that their row counts are known.
            var streaming = NativeMethods.duckdb_prepared_statement_type(statement) == SelectStatement;
            var started = streaming
                ? NativeMethods.duckdb_pending_prepared_streaming(statement, out var pending)
                : NativeMethods.duckdb_pending_prepared(statement, out pending);
            using (pending)
            {
                if (started != DuckDbState.Success)
                {
                    DuckDbException.Throw(NativeMethods.duckdb_pending_error(pending), DuckDbErrorType.Invalid, "DuckDB could not start the query.");
                }

                // DuckDB forgets an interrupt when a query starts, so one that arrived between
                // statements (or before the first) would be lost: the token is the record.
                cancellationToken.ThrowIfCancellationRequested();
                if (NativeMethods.duckdb_execute_pending(pending, result.Pointer) != DuckDbState.Success)
                {
                    throw ResultErrors.From(result, cancellationToken);
                }
            }

            return result;
        }
        catch (Exception e) when (e is DuckDbException || e.InnerException is DuckDbException)
        {
            _connection.Transaction?.MarkFailed(e.InnerException?.Message ?? e.Message);
            result.Dispose();
            if (e is DuckDbException error)
            {
                ThrowIfCancelled(error, cancellationToken);
            }

            throw;
        }
        catch (OperationCanceledException)
        {
            // Earlier statements of this command may have run: the transaction must not commit.
            _connection.Transaction?.MarkFailed("The query was cancelled.");
            result.Dispose();
            throw;
        }
        catch
        {
            result.Dispose();
            throw;
        }
    }

    // A cancellation that lands before the query runs (while it is prepared or started)
    // interrupts that step instead: it is the caller's cancellation all the same.
    private static void ThrowIfCancelled(DuckDbException error, CancellationToken cancellationToken)
    {
        if (error.ErrorType == DuckDbErrorType.Interrupt && cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException("The query was cancelled.", error, cancellationToken);
        }
    }

    public void Dispose()
    {
        if (_count > 0)
        {
            _statements.Dispose();
        }
    }

    private PreparedStatementHandle Prepare(ulong index)
    {
        if (NativeMethods.duckdb_prepare_extracted_statement(_connection.Handle, _statements, index, out var statement) != DuckDbState.Success)
        {
            using (statement)
            {
                DuckDbException.Throw(NativeMethods.duckdb_prepare_error(statement), DuckDbErrorType.Invalid, "DuckDB could not prepare the statement.");
            }
        }

        return statement;
    }
}
