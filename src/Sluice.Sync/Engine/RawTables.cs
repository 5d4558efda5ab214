using Sluice.Core.Sync;
using Sluice.Core.Warehouse;
using Sluice.Warehouses.Metadata;

namespace Sluice.Sync.Engine;

/// <summary>Where synced tables land and the columns Sluice adds to them.</summary>
public static class RawTables
{
    /// <summary>The schema every source table lands in.</summary>
    public const string Schema = RawTableNames.Schema;

    /// <summary>When the row was last written by a sync.</summary>
    public const string SyncedAt = "_sluice_synced_at";

    /// <summary>When the row was found deleted in the source (null while it exists).</summary>
    public const string DeletedAt = "_sluice_deleted_at";

    /// <summary>For CSV sources: the file a row came from.</summary>
    public const string SourceFile = "_sluice_file";

    /// <summary>The warehouse table of a source table: <c>raw.&lt;source&gt;__&lt;table&gt;</c>.</summary>
    public static TableName For(string source, string table) => RawTableNames.For(source, table);

    /// <summary>The staging table a batch is loaded into before it is merged.</summary>
    public static TableName StagingFor(TableName raw) => ScratchFor("stage__", raw);

    /// <summary>The scratch table that holds the source's primary keys while deletes are reconciled.</summary>
    public static TableName KeysFor(TableName raw) => ScratchFor("keys__", raw);

    private static TableName ScratchFor(string prefix, TableName raw)
    {
        var name = prefix + raw.Name;
        return new TableName(MetadataSchema.Name, name.Length <= Identifier.MaxLength ? name : name[..Identifier.MaxLength]);
    }

    /// <summary>True for the columns Sluice adds.</summary>
    public static bool IsSystemColumn(string column) => column.StartsWith("_sluice_", StringComparison.Ordinal);
}
