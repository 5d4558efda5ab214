using Sluice.Core.Project;
using Sluice.Core.Warehouse;

namespace Sluice.Core.Sync;

/// <summary>Where a synced source table lands in the warehouse; models read it with <c>source()</c>.</summary>
public static class RawTableNames
{
    /// <summary>The schema every source table lands in.</summary>
    public const string Schema = "raw";

    /// <summary>The warehouse table of a source table: <c>raw.&lt;source&gt;__&lt;table&gt;</c>.</summary>
    public static TableName For(string source, string table)
    {
        var name = $"{source}__{table}";
        return Identifier.IsValid(name)
            ? new TableName(Schema, name)
            : throw new ConfigurationException(
                $"The warehouse table name raw.{name} is longer than {Identifier.MaxLength} characters; shorten the source name '{source}'.");
    }
}
