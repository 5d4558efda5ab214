namespace Sluice.DuckDb.Data;

/// <summary>A System.Decimal taken apart: its 96-bit magnitude, its scale and its sign.</summary>
internal readonly record struct DecimalParts(UInt128 Magnitude, byte Scale, bool Negative)
{
    public static DecimalParts Of(decimal value)
    {
        Span<int> bits = stackalloc int[4];
        decimal.GetBits(value, bits);
        var magnitude = ((UInt128)(uint)bits[2] << 64) | ((UInt128)(uint)bits[1] << 32) | (uint)bits[0];
        return new DecimalParts(magnitude, (byte)((bits[3] >> 16) & 0xFF), (bits[3] & int.MinValue) != 0);
    }
}
