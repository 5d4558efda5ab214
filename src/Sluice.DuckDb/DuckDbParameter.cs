using System.Data;
using System.Data.Common;
using System.Diagnostics.CodeAnalysis;

namespace Sluice.DuckDb;

/// <summary>
/// A parameter value. Named parameters match <c>$name</c> in the SQL (a leading $, @ or : in
/// <see cref="ParameterName"/> is ignored); unnamed ones match <c>?</c> or <c>$1</c> by position.
/// </summary>
public sealed class DuckDbParameter : DbParameter
{
    private string _name = string.Empty;

    /// <summary>Creates an unnamed parameter.</summary>
    public DuckDbParameter()
    {
    }

    /// <summary>Creates a named parameter with a value.</summary>
    public DuckDbParameter(string name, object? value)
    {
        ParameterName = name;
        Value = value;
    }

    /// <inheritdoc />
    public override DbType DbType { get; set; } = DbType.Object;

    /// <inheritdoc />
    public override ParameterDirection Direction
    {
        get => ParameterDirection.Input;
        set
        {
            if (value != ParameterDirection.Input)
            {
                throw new NotSupportedException("DuckDB parameters are input only.");
            }
        }
    }

    /// <inheritdoc />
    public override bool IsNullable { get; set; }

    /// <inheritdoc />
    [AllowNull]
    public override string ParameterName
    {
        get => _name;
        set => _name = value ?? string.Empty;
    }

    /// <summary>The name without its prefix character.</summary>
    internal string BareName => _name.Length > 0 && _name[0] is '$' or '@' or ':' ? _name[1..] : _name;

    /// <inheritdoc />
    public override int Size { get; set; }

    /// <inheritdoc />
    [AllowNull]
    public override string SourceColumn { get; set; } = string.Empty;

    /// <inheritdoc />
    public override bool SourceColumnNullMapping { get; set; }

    /// <inheritdoc />
    public override object? Value { get; set; }

    /// <inheritdoc />
    public override void ResetDbType() => DbType = DbType.Object;
}
