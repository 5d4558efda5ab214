using Sluice.Core.Project;
using Sluice.Core.Sync;
using Sluice.Core.Warehouse;
using Sluice.Sync.Csv;
using Sluice.Sync.Postgres;
using Sluice.Warehouses.Metadata;

namespace Sluice.Sync.Engine;

/// <summary>
/// Runs <c>sluice sync</c>: every selected table of every selected source, one after another.
/// A table that fails is reported and recorded; the others still run.
/// </summary>
public sealed class SyncRunner(SluiceProject project, IWarehouse warehouse, ISyncObserver observer)
{
    /// <summary>Syncs what <paramref name="options"/> selects and returns one result per table.</summary>
    public async Task<IReadOnlyList<TableSyncResult>> RunAsync(SyncOptions options, CancellationToken cancellationToken)
    {
        var sources = SourcesReader.Read(project);
        var selected = Select(sources, options);
        await using (var session = await warehouse.OpenSessionAsync(cancellationToken))
        {
            await MetadataSchema.MigrateAsync(session, cancellationToken: cancellationToken);
        }

        var results = new List<TableSyncResult>();
        foreach (var source in selected)
        {
            switch (source)
            {
                case PostgresSourceDefinition postgres:
                    await using (var connection = new PostgresSource(postgres))
                    {
                        foreach (var table in postgres.Tables.Where(t => options.NamesTables ? options.Includes(t.Name) : t.Parity || !options.ParityOnly))
                        {
                            var result = await new PostgresTableSync(warehouse, connection, table, options, observer).RunAsync(cancellationToken);
                            observer.TableFinished(result);
                            results.Add(result);
                        }
                    }

                    break;
                case CsvSourceDefinition when options.ParityOnly:
                    break;
                case CsvSourceDefinition csv:
                    foreach (var result in await new CsvSync(project, warehouse, csv, options, observer).RunAsync(cancellationToken))
                    {
                        results.Add(result);
                    }

                    break;
            }
        }

        return results;
    }

    private static List<SourceDefinition> Select(IReadOnlyList<SourceDefinition> sources, SyncOptions options)
    {
        if (sources.Count == 0)
        {
            throw new ConfigurationException(options.ParityOnly
                ? "sluice.yml has no sources, so parity has no tables to compare; add a `sources:` section (see docs/sync.md)."
                : "sluice.yml has no sources to sync; add a `sources:` section (see docs/sync.md).");
        }

        var selected = sources.Where(s => options.Source is null || s.Name == options.Source).ToList();
        if (selected.Count == 0)
        {
            throw new ConfigurationException($"--source {options.Source}: there is no such source; sluice.yml has {string.Join(", ", sources.Select(s => s.Name))}.");
        }

        var hasCsv = selected.Any(s => s is CsvSourceDefinition);
        var known = selected.OfType<PostgresSourceDefinition>().SelectMany(p => p.Tables.Select(t => t.Name)).ToHashSet(StringComparer.Ordinal);
        if (!hasCsv && options.Tables?.FirstOrDefault(t => !known.Contains(t)) is { } unknown)
        {
            var tables = selected.OfType<PostgresSourceDefinition>().SelectMany(p => p.Tables.Select(t => $"{p.Name}.{t.Name}"));
            throw new ConfigurationException($"--table {unknown}: no selected source has such a table; the tables are {string.Join(", ", tables)}.");
        }

        return selected;
    }
}
