namespace Sluice.Demo.Teei;

/// <summary>
/// What one day did to the TEEI tables: the rows written (new or changed), as they now are, per
/// table. The platform deletes nothing, so a day's changes are all writes.
/// </summary>
/// <param name="Day">The day.</param>
/// <param name="Written">New and changed rows, per table, each once.</param>
public sealed record TeeiChanges(DateOnly Day, IReadOnlyDictionary<TeeiTable, IReadOnlyList<ITeeiRow>> Written);
