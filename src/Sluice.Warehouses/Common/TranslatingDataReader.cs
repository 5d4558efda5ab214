using System.Collections;
using System.Data.Common;
using System.Diagnostics.CodeAnalysis;
using Sluice.Core.Project;

namespace Sluice.Warehouses.Common;

/// <summary>
/// Passes a provider's reader through, turning engine errors raised while rows stream (a query
/// fails after its first chunk, a cast fails on row 10 million) into <see cref="WarehouseException"/>,
/// as the adapters do for errors raised when the query starts. Dates come out as
/// <see cref="DateOnly"/> on every engine: a provider that hands them out as midnight
/// <see cref="DateTime"/>s names its date type in <paramref name="dateTypeName"/>.
/// </summary>
internal sealed class TranslatingDataReader<TEngineException>(DbDataReader inner, Func<TEngineException, WarehouseException> translate, string? dateTypeName = null) : DbDataReader
    where TEngineException : Exception
{
    public override int FieldCount => inner.FieldCount;

    public override bool HasRows => inner.HasRows;

    public override bool IsClosed => inner.IsClosed;

    public override int RecordsAffected => inner.RecordsAffected;

    public override int Depth => inner.Depth;

    public override object this[int ordinal] => Map(ordinal, inner[ordinal]);

    public override object this[string name] => Map(inner.GetOrdinal(name), inner[name]);

    public override bool Read()
    {
        try
        {
            return inner.Read();
        }
        catch (TEngineException e)
        {
            throw translate(e);
        }
    }

    public override async Task<bool> ReadAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await inner.ReadAsync(cancellationToken);
        }
        catch (TEngineException e)
        {
            throw translate(e);
        }
    }

    public override bool NextResult()
    {
        try
        {
            return inner.NextResult();
        }
        catch (TEngineException e)
        {
            throw translate(e);
        }
    }

    public override async Task<bool> NextResultAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await inner.NextResultAsync(cancellationToken);
        }
        catch (TEngineException e)
        {
            throw translate(e);
        }
    }

    public override bool GetBoolean(int ordinal) => inner.GetBoolean(ordinal);

    public override byte GetByte(int ordinal) => inner.GetByte(ordinal);

    public override long GetBytes(int ordinal, long dataOffset, byte[]? buffer, int bufferOffset, int length) => inner.GetBytes(ordinal, dataOffset, buffer, bufferOffset, length);

    public override char GetChar(int ordinal) => inner.GetChar(ordinal);

    public override long GetChars(int ordinal, long dataOffset, char[]? buffer, int bufferOffset, int length) => inner.GetChars(ordinal, dataOffset, buffer, bufferOffset, length);

    public override string GetDataTypeName(int ordinal) => inner.GetDataTypeName(ordinal);

    public override DateTime GetDateTime(int ordinal) => inner.GetDateTime(ordinal);

    public override decimal GetDecimal(int ordinal) => inner.GetDecimal(ordinal);

    public override double GetDouble(int ordinal) => inner.GetDouble(ordinal);

    [return: DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicFields | DynamicallyAccessedMemberTypes.PublicProperties)]
    public override Type GetFieldType(int ordinal) => IsDate(ordinal) ? typeof(DateOnly) : inner.GetFieldType(ordinal);

    public override T GetFieldValue<T>(int ordinal) => inner.GetFieldValue<T>(ordinal);

    public override float GetFloat(int ordinal) => inner.GetFloat(ordinal);

    public override Guid GetGuid(int ordinal) => inner.GetGuid(ordinal);

    public override short GetInt16(int ordinal) => inner.GetInt16(ordinal);

    public override int GetInt32(int ordinal) => inner.GetInt32(ordinal);

    public override long GetInt64(int ordinal) => inner.GetInt64(ordinal);

    public override string GetName(int ordinal) => inner.GetName(ordinal);

    public override int GetOrdinal(string name) => inner.GetOrdinal(name);

    public override System.Data.DataTable? GetSchemaTable() => inner.GetSchemaTable();

    public override string GetString(int ordinal) => inner.GetString(ordinal);

    public override object GetValue(int ordinal) => Map(ordinal, inner.GetValue(ordinal));

    public override int GetValues(object[] values)
    {
        var count = inner.GetValues(values);
        for (var i = 0; i < count; i++)
        {
            values[i] = Map(i, values[i]);
        }

        return count;
    }

    private bool IsDate(int ordinal) => dateTypeName is not null && string.Equals(inner.GetDataTypeName(ordinal), dateTypeName, StringComparison.Ordinal);

    private object Map(int ordinal, object value) => value is DateTime time && IsDate(ordinal) ? DateOnly.FromDateTime(time) : value;

    public override bool IsDBNull(int ordinal) => inner.IsDBNull(ordinal);

    public override Task<bool> IsDBNullAsync(int ordinal, CancellationToken cancellationToken) => inner.IsDBNullAsync(ordinal, cancellationToken);

    public override IEnumerator GetEnumerator() => new DbEnumerator(this, closeReader: false);

    public override void Close() => inner.Close();

    public override ValueTask DisposeAsync() => inner.DisposeAsync();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
