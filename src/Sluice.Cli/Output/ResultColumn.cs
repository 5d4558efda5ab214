using Sluice.Warehouses.Values;

namespace Sluice.Cli.Output;

/// <summary>A result column: its name and the CLR type of its values.</summary>
internal sealed record ResultColumn(string Name, Type Type)
{
    /// <summary>Numbers are right-aligned in tables.</summary>
    public bool IsNumeric => ValueText.IsNumericType(Type);
}
