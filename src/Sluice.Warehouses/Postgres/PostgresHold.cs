using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Npgsql;

namespace Sluice.Warehouses.Postgres;

/// <summary>
/// A hold on a PostgreSQL warehouse: a session advisory lock on a connection of its own, which
/// names its holder in <c>application_name</c> so that others can say who has it. The server
/// lets the lock go when the connection ends, so a holder that crashes does not keep it.
/// </summary>
internal sealed class PostgresHold(NpgsqlConnection connection, long key) : IAsyncDisposable
{
    // application_name is cut by the server at 63 bytes.
    private const int NameLimit = 63;

    /// <summary>The advisory lock key of a hold's name: the first 8 bytes of its SHA-256, the same in every process.</summary>
    public static long Key(string name) =>
        BinaryPrimitives.ReadInt64BigEndian(SHA256.HashData(Encoding.UTF8.GetBytes("sluice:" + name)));

    /// <summary>Takes the lock on <paramref name="connection"/>; disposes the connection and returns null when another session has it.</summary>
    public static async Task<PostgresHold?> TryTakeAsync(NpgsqlConnection connection, string name, string holder, CancellationToken cancellationToken)
    {
        var key = Key(name);
        try
        {
            await using (var describe = new NpgsqlCommand("select set_config('application_name', $1, false)", connection))
            {
                describe.Parameters.Add(new NpgsqlParameter { Value = Truncate(holder) });
                await describe.ExecuteNonQueryAsync(cancellationToken);
            }

            await using var take = new NpgsqlCommand("select pg_try_advisory_lock($1)", connection);
            take.Parameters.Add(new NpgsqlParameter { Value = key });
            if (await take.ExecuteScalarAsync(cancellationToken) is true)
            {
                return new PostgresHold(connection, key);
            }
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }

        await connection.DisposeAsync();
        return null;
    }

    /// <summary>The <c>application_name</c> of the session that has the lock <paramref name="name"/>, or null.</summary>
    public static async Task<string?> FindAsync(NpgsqlConnection connection, string name, CancellationToken cancellationToken)
    {
        var key = Key(name);

        // A bigint advisory lock shows in pg_locks as its high half in classid and its low half in objid.
        await using var find = new NpgsqlCommand(
            """
            select a.application_name, a.client_addr::text, a.backend_start
            from pg_locks l join pg_stat_activity a on a.pid = l.pid
            where l.locktype = 'advisory' and l.granted and l.objsubid = 1 and l.database = (select oid from pg_database where datname = current_database())
              and l.classid::bigint = $1 and l.objid::bigint = $2
            """,
            connection);
        find.Parameters.Add(new NpgsqlParameter { Value = (long)(uint)(key >> 32) });
        find.Parameters.Add(new NpgsqlParameter { Value = (long)(uint)key });
        await using var reader = await find.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        var holder = reader.IsDBNull(0) || reader.GetString(0).Length == 0 ? "a session without a name" : reader.GetString(0);
        var from = reader.IsDBNull(1) ? "a local socket" : reader.GetString(1);
        var since = reader.GetFieldValue<DateTimeOffset>(2);
        return $"{holder}, connected from {from} since {since.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC";
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await using var release = new NpgsqlCommand("select pg_advisory_unlock($1)", connection);
            release.Parameters.Add(new NpgsqlParameter { Value = key });
            await release.ExecuteScalarAsync();
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException)
        {
            // The connection is gone, and the lock with it.
        }
        finally
        {
            await connection.DisposeAsync();
        }
    }

    private static string Truncate(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        if (bytes.Length <= NameLimit)
        {
            return text;
        }

        var length = NameLimit;
        while (length > 0 && (bytes[length] & 0xC0) == 0x80)
        {
            length--;
        }

        return Encoding.UTF8.GetString(bytes, 0, length);
    }
}
