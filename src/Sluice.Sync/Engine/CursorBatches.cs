using System.Runtime.CompilerServices;
using Sluice.Sync.Postgres;

namespace Sluice.Sync.Engine;

/// <summary>
/// Cuts a stream of rows ordered by cursor into batches of about <c>batchSize</c> rows. A batch
/// only ends where the cursor value changes, so that the batch's highest cursor value is a
/// watermark below which every row has been copied: resuming after it skips nothing.
/// </summary>
internal sealed class CursorBatches(CopyRows rows, int cursorIndex, int batchSize, Action<object?[]> complete)
{
    private object?[]? _next;
    private bool _started;

    /// <summary>True once every row has been handed out.</summary>
    public bool Exhausted => _started && _next is null;

    /// <summary>The highest non-null cursor value handed out so far; null when none.</summary>
    public object? MaxCursor { get; private set; }

    /// <summary>Rows handed out in the batch being read.</summary>
    public long BatchRows { get; private set; }

    /// <summary>The next batch. Read it to its end before asking for another.</summary>
    public async IAsyncEnumerable<object?[]> NextAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (!_started)
        {
            _next = await rows.ReadAsync(cancellationToken);
            _started = true;
        }

        BatchRows = 0;
        object? last = null;
        while (_next is { } row)
        {
            var cursor = cursorIndex < 0 ? null : row[cursorIndex];
            if (BatchRows >= batchSize && !Equals(cursor, last))
            {
                yield break;
            }

            _next = await rows.ReadAsync(cancellationToken);
            if (cursor is not null && (MaxCursor is null || CursorValues.Compare(cursor, MaxCursor) > 0))
            {
                MaxCursor = cursor;
            }

            last = cursor;
            BatchRows++;
            complete(row);
            yield return row;
        }
    }
}
