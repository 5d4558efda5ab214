namespace Sluice.Core.Warehouse;

/// <summary>
/// The warehouse engine's own parser, asked whether SQL is well-formed without running it.
/// Only the grammar is judged: a query naming relations that do not exist yet (a model whose
/// upstream is not built) passes, and so does anything else the engine would reject only once
/// it resolves names, types or functions. Not thread-safe; use one per task.
/// </summary>
public interface ISqlSyntaxCheck : IAsyncDisposable
{
    /// <summary>The syntax error in <paramref name="sql"/>, which should be one query, or null when the engine's parser accepts it.</summary>
    Task<SqlSyntaxError?> CheckAsync(string sql, CancellationToken cancellationToken = default);
}

/// <summary>What an engine's parser said about SQL it could not read.</summary>
/// <param name="Message">The engine's words, with its kind of error (<c>Parser Error: …</c>, <c>ERROR 42601: …</c>).</param>
/// <param name="Offset">Where the parser stopped, as an index into the SQL string (UTF-16, 0-based); null when the engine gives no place.</param>
public sealed record SqlSyntaxError(string Message, int? Offset)
{
    /// <summary>
    /// The string index of the character <paramref name="codePoints"/> code points into
    /// <paramref name="sql"/>: engines count characters, where a string counts two for a
    /// character outside the Basic Multilingual Plane. Past the end is the end.
    /// </summary>
    public static int IndexOfCodePoint(string sql, int codePoints)
    {
        var index = 0;
        for (var seen = 0; seen < codePoints && index < sql.Length; seen++)
        {
            index += char.IsHighSurrogate(sql[index]) && index + 1 < sql.Length && char.IsLowSurrogate(sql[index + 1]) ? 2 : 1;
        }

        return index;
    }
}
