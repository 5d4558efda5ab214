namespace Sluice.Operate.Export;

/// <summary>Hears how an export goes, to show it; called on the exporting thread, and must not throw.</summary>
public interface IExportProgress
{
    /// <summary>The export of <paramref name="target"/>, number <paramref name="index"/> of <paramref name="total"/>, starts.</summary>
    void Started(ExportTarget target, int index, int total);

    /// <summary><paramref name="rows"/> rows of <paramref name="target"/> are written so far; called every <see cref="ExportRunner.ProgressInterval"/> rows of a streamed export.</summary>
    void Rows(ExportTarget target, long rows);

    /// <summary>The export of a model ended.</summary>
    void Finished(ModelExport result, int index, int total);
}
