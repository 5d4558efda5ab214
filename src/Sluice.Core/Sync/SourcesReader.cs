using Sluice.Core.Project;
using Sluice.Core.Warehouse;
using YamlDotNet.RepresentationModel;

namespace Sluice.Core.Sync;

/// <summary>
/// Reads the <c>sources:</c> section of sluice.yml. Every mistake is reported with the line it is
/// on and what to write instead.
/// <code>
/// sources:
///   - name: app
///     type: postgres
///     url: postgres://analytics_ro@localhost:5432/app
///     schema: public
///     tables:
///       - name: emails
///         primary_key: [id]
///         cursor: updated_at
///         lookback: 10m
///         columns: {exclude: [raw_body]}
///         parity: {date_column: received_at}
///       - applications          # a bare name: the whole table, every sync
///   - name: files
///     type: csv
///     path: data/*.csv
///   - name: exports               # several tables from one source, each from its own files
///     type: csv
///     tables:
///       - {name: orders, path: exports/orders_*.csv}
///       - {name: refunds, path: exports/refunds_*.csv}
/// </code>
/// </summary>
public static class SourcesReader
{
    private static readonly string[] SourceKeys = ["name", "type", "url", "schema", "tables", "batch_size", "reconcile_every", "path", "table", "header", "delimiter", "quote", "columns", "primary_key", "parity"];
    private static readonly string[] PostgresKeys = ["name", "type", "url", "schema", "tables", "batch_size", "reconcile_every"];
    private static readonly string[] CsvKeys = ["name", "type", "path", "table", "tables", "header", "delimiter", "quote", "columns", "primary_key", "parity"];
    private static readonly string[] CsvTableKeys = ["name", "path", "columns", "primary_key", "parity"];
    private static readonly string[] TableKeys = ["name", "primary_key", "cursor", "lookback", "columns", "parity", "soft_delete", "batch_size", "reconcile_every"];

    /// <summary>The source types sluice.yml accepts.</summary>
    public static IReadOnlyList<string> Types { get; } = ["postgres", "csv"];

    /// <summary>The project's sources; none when sluice.yml has no <c>sources:</c> section.</summary>
    public static IReadOnlyList<SourceDefinition> Read(SluiceProject project) =>
        project.Section("sources") is { } section ? Read(project.OpenConfig(), section) : [];

    /// <summary>Reads a <c>sources:</c> section.</summary>
    public static IReadOnlyList<SourceDefinition> Read(ConfigFile file, YamlNode section)
    {
        if (section is YamlScalarNode { Value: null or "" })
        {
            return [];
        }

        if (section is not YamlSequenceNode list)
        {
            throw file.Error(section, "sources must be a list; start each source with `- name: <name>` and `type: postgres` or `type: csv`.");
        }

        var sources = new List<SourceDefinition>();
        foreach (var node in list)
        {
            var read = ReadSource(file, node);
            if (sources.Any(s => s.Name == read[0].Name))
            {
                throw file.Error(node, $"there are two sources named '{read[0].Name}'; give each a different name.");
            }

            sources.AddRange(read);
        }

        return sources;
    }

    // One definition per source, except a CSV source with tables: one per table, all of its name.
    private static IReadOnlyList<SourceDefinition> ReadSource(ConfigFile file, YamlNode node)
    {
        var entries = file.ReadMapping(node, "a source", SourceKeys);
        var name = entries.TryGetValue("name", out var nameEntry)
            ? ReadIdentifier(file, nameEntry.Value, "source name")
            : throw file.Error(node, "this source has no name; add `name: app` (letters, digits and '_'); its tables land in raw.<name>__<table>.");
        var type = entries.TryGetValue("type", out var typeEntry)
            ? file.ReadString(typeEntry.Value, $"sources.{name}.type").ToLowerInvariant()
            : throw file.Error(node, $"source '{name}' has no type; add `type: postgres` or `type: csv`.");
        var location = $"{file.Path}:{node.Start.Line}";
        return type switch
        {
            "postgres" or "postgresql" => [ReadPostgres(file, node, name, location, entries)],
            "csv" => ReadCsv(file, node, name, location, entries),
            _ => throw file.Error(typeEntry.Value, $"source type '{type}' is not supported; use one of: {string.Join(", ", Types)}."),
        };
    }

    private static PostgresSourceDefinition ReadPostgres(ConfigFile file, YamlNode node, string name, string location, IReadOnlyDictionary<string, KeyValuePair<YamlScalarNode, YamlNode>> entries)
    {
        file.RejectKeys(entries, $"a postgres source ('{name}')", PostgresKeys);
        if (!entries.TryGetValue("url", out var urlEntry))
        {
            throw file.Error(node, $"source '{name}' needs a url; add `url: postgres://user@host:5432/database` (the password can come from ${{PGPASSWORD}}).");
        }

        var url = file.ReadString(urlEntry.Value, $"sources.{name}.url");
        if (!url.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) && !url.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase))
        {
            throw file.Error(urlEntry.Value, $"sources.{name}.url '{SecretMasker.Mask(url)}' is not a PostgreSQL URL; write it as postgres://user@host:5432/database.");
        }

        var schema = entries.TryGetValue("schema", out var schemaEntry) ? ReadIdentifier(file, schemaEntry.Value, $"sources.{name}.schema") : "public";
        var batchSize = entries.TryGetValue("batch_size", out var batchEntry)
            ? file.ReadInt(batchEntry.Value, $"sources.{name}.batch_size", 1)
            : SyncTableDefinition.DefaultBatchSize;
        int? reconcileEvery = entries.TryGetValue("reconcile_every", out var reconcileEntry)
            ? file.ReadInt(reconcileEntry.Value, $"sources.{name}.reconcile_every", 1)
            : null;
        if (!entries.TryGetValue("tables", out var tablesEntry) || tablesEntry.Value is not YamlSequenceNode { Children.Count: > 0 } tableNodes)
        {
            throw file.Error(entries.TryGetValue("tables", out var t) ? t.Value : node, $"source '{name}' needs a list of tables; add `tables: [{{name: orders, primary_key: [id], cursor: updated_at}}]`.");
        }

        var tables = new List<SyncTableDefinition>();
        foreach (var tableNode in tableNodes)
        {
            var table = ReadTable(file, tableNode, name, batchSize, reconcileEvery);
            if (tables.Any(t => t.Name == table.Name))
            {
                throw file.Error(tableNode, $"table '{table.Name}' is listed twice in source '{name}'; keep one entry.");
            }

            tables.Add(table);
        }

        return new PostgresSourceDefinition(name, location, url, schema, tables);
    }

    private static SyncTableDefinition ReadTable(ConfigFile file, YamlNode node, string source, int batchSize, int? reconcileEvery)
    {
        var location = $"{file.Path}:{node.Start.Line}";
        if (node is YamlScalarNode)
        {
            var bare = ReadIdentifier(file, node, $"table name in source '{source}'");
            return new SyncTableDefinition(bare, location, [], null, Lookback.None, [], [], null, null, batchSize, reconcileEvery);
        }

        var entries = file.ReadMapping(node, $"a table of source '{source}'", TableKeys);
        var name = entries.TryGetValue("name", out var nameEntry)
            ? ReadIdentifier(file, nameEntry.Value, "table name")
            : throw file.Error(node, $"a table of source '{source}' has no name; add `name: <table>`.");
        var what = $"{source}.{name}";
        var primaryKey = entries.TryGetValue("primary_key", out var keyEntry) ? ReadIdentifiers(file, keyEntry.Value, $"{what}.primary_key") : [];
        var cursor = entries.TryGetValue("cursor", out var cursorEntry) ? ReadIdentifier(file, cursorEntry.Value, $"{what}.cursor") : null;
        var lookback = Lookback.None;
        if (entries.TryGetValue("lookback", out var lookbackEntry))
        {
            var text = file.ReadString(lookbackEntry.Value, $"{what}.lookback");
            lookback = Lookback.TryParse(text)
                ?? throw file.Error(lookbackEntry.Value, $"{what}.lookback '{text}' is not a duration or a number; write 10m, 2h, 1d for time cursors, or a whole number for integer cursors.");
            if (cursor is null)
            {
                throw file.Error(lookbackEntry.Key, $"{what}.lookback needs a cursor; add `cursor: updated_at` or remove the lookback.");
            }
        }

        IReadOnlyList<string> include = [], exclude = [];
        if (entries.TryGetValue("columns", out var columnsEntry))
        {
            var columns = file.ReadMapping(columnsEntry.Value, $"{what}.columns", ["include", "exclude"]);
            include = columns.TryGetValue("include", out var includeEntry) ? ReadIdentifiers(file, includeEntry.Value, $"{what}.columns.include") : [];
            exclude = columns.TryGetValue("exclude", out var excludeEntry) ? ReadIdentifiers(file, excludeEntry.Value, $"{what}.columns.exclude") : [];
        }

        var (parityFlag, parityDate) = ReadParity(file, entries, what);
        var parityOn = parityFlag ?? true;

        var softDelete = entries.TryGetValue("soft_delete", out var softEntry) ? ReadIdentifier(file, softEntry.Value, $"{what}.soft_delete") : null;
        if (entries.TryGetValue("batch_size", out var batchEntry))
        {
            batchSize = file.ReadInt(batchEntry.Value, $"{what}.batch_size", 1);
        }

        if (entries.TryGetValue("reconcile_every", out var reconcileEntry))
        {
            reconcileEvery = file.ReadInt(reconcileEntry.Value, $"{what}.reconcile_every", 1);
        }

        foreach (var required in primaryKey.Append(cursor).Append(parityDate).Append(softDelete).OfType<string>())
        {
            if (exclude.Contains(required) || (include.Count > 0 && !include.Contains(required)))
            {
                throw file.Error(columnsEntry.Value, $"{what} leaves out column '{required}', which its primary_key, cursor, parity or soft_delete setting needs; copy it.");
            }
        }

        return new SyncTableDefinition(name, location, primaryKey, cursor, lookback, include, exclude, parityDate, softDelete, batchSize, reconcileEvery)
        {
            Parity = parityOn,
        };
    }

    private static IReadOnlyList<CsvSourceDefinition> ReadCsv(ConfigFile file, YamlNode node, string name, string location, IReadOnlyDictionary<string, KeyValuePair<YamlScalarNode, YamlNode>> entries)
    {
        file.RejectKeys(entries, $"a csv source ('{name}')", CsvKeys);
        var header = !entries.TryGetValue("header", out var headerEntry) || ReadBool(file, headerEntry.Value, $"sources.{name}.header");
        var delimiter = entries.TryGetValue("delimiter", out var delimiterEntry) ? ReadChar(file, delimiterEntry.Value, $"sources.{name}.delimiter") : ',';
        var quote = entries.TryGetValue("quote", out var quoteEntry) ? ReadChar(file, quoteEntry.Value, $"sources.{name}.quote") : '"';
        if (delimiter == quote)
        {
            throw file.Error(quoteEntry.Value ?? delimiterEntry.Value, $"sources.{name}: the delimiter and the quote are both '{delimiter}'; make them different.");
        }

        var format = new CsvFormat(header, delimiter, quote);
        if (entries.TryGetValue("tables", out var tablesEntry))
        {
            return ReadCsvTables(file, name, tablesEntry, entries, format);
        }

        var path = entries.TryGetValue("path", out var pathEntry)
            ? file.ReadString(pathEntry.Value, $"sources.{name}.path")
            : throw file.Error(node, $"source '{name}' needs a path; add `path: data/*.csv` (a file or a glob, relative to the project folder), or `tables:` with a name and a path for each table.");
        var table = entries.TryGetValue("table", out var tableEntry) ? ReadIdentifier(file, tableEntry.Value, $"sources.{name}.table") : null;
        var columns = entries.TryGetValue("columns", out var columnsEntry) ? ReadCsvColumns(file, columnsEntry.Value, $"sources.{name}.columns") : new Dictionary<string, string>();
        return [WithCsvParity(file, entries, $"sources.{name}", new CsvSourceDefinition(name, location, path, table, format, columns))];
    }

    // tables: [{name, path, columns}] — each table its own files, all under the source's name.
    private static List<CsvSourceDefinition> ReadCsvTables(
        ConfigFile file,
        string name,
        KeyValuePair<YamlScalarNode, YamlNode> tablesEntry,
        IReadOnlyDictionary<string, KeyValuePair<YamlScalarNode, YamlNode>> entries,
        CsvFormat format)
    {
        foreach (var key in new[] { "path", "table", "columns", "primary_key", "parity" })
        {
            if (entries.TryGetValue(key, out var entry))
            {
                throw file.Error(entry.Key, $"sources.{name} has tables, so `{key}` belongs to each table; move it under the table it is for.");
            }
        }

        if (tablesEntry.Value is not YamlSequenceNode { Children.Count: > 0 } list)
        {
            throw file.Error(tablesEntry.Value, $"sources.{name}.tables must be a non-empty list of tables, such as `- {{name: orders, path: data/orders_*.csv}}`.");
        }

        var tables = new List<CsvSourceDefinition>();
        foreach (var item in list)
        {
            var table = file.ReadMapping(item, $"a table of sources.{name}", CsvTableKeys);
            var tableName = table.TryGetValue("name", out var nameEntry)
                ? ReadIdentifier(file, nameEntry.Value, $"a table name of sources.{name}")
                : throw file.Error(item, $"this table of sources.{name} has no name; add `name: orders` (it lands in raw.{name}__orders).");
            var setting = $"sources.{name}.tables.{tableName}";
            if (tables.Any(t => t.Table == tableName))
            {
                throw file.Error(nameEntry.Value, $"sources.{name} lists table '{tableName}' twice; give each table a different name.");
            }

            var path = table.TryGetValue("path", out var pathEntry)
                ? file.ReadString(pathEntry.Value, $"{setting}.path")
                : throw file.Error(item, $"{setting} needs a path; add `path: data/{tableName}_*.csv` (a file or a glob, relative to the project folder).");
            var columns = table.TryGetValue("columns", out var columnsEntry) ? ReadCsvColumns(file, columnsEntry.Value, $"{setting}.columns") : new Dictionary<string, string>();
            tables.Add(WithCsvParity(file, table, setting, new CsvSourceDefinition(name, $"{file.Path}:{item.Start.Line}", path, tableName, format, columns)
            {
                SettingsName = setting,
                ColumnsSetting = $"{setting}.columns",
            }));
        }

        return tables;
    }

    // primary_key and parity: off unless asked for, since it reads the files a second time.
    private static CsvSourceDefinition WithCsvParity(ConfigFile file, IReadOnlyDictionary<string, KeyValuePair<YamlScalarNode, YamlNode>> entries, string setting, CsvSourceDefinition definition)
    {
        var primaryKey = entries.TryGetValue("primary_key", out var keyEntry) ? ReadIdentifiers(file, keyEntry.Value, $"{setting}.primary_key") : [];
        var (on, date) = ReadParity(file, entries, setting);
        return definition with { PrimaryKey = primaryKey, Parity = on ?? false, ParityDateColumn = date };
    }

    // parity: `true`/`false`, or `{date_column: day}` (on, per day); null when not written.
    private static (bool? On, string? DateColumn) ReadParity(ConfigFile file, IReadOnlyDictionary<string, KeyValuePair<YamlScalarNode, YamlNode>> entries, string setting)
    {
        if (!entries.TryGetValue("parity", out var parityEntry))
        {
            return (null, null);
        }

        if (parityEntry.Value is YamlScalarNode)
        {
            return (ReadBool(file, parityEntry.Value, $"{setting}.parity"), null);
        }

        var parity = file.ReadMapping(parityEntry.Value, $"{setting}.parity", ["date_column"]);
        return (true, parity.TryGetValue("date_column", out var dateEntry) ? ReadIdentifier(file, dateEntry.Value, $"{setting}.parity.date_column") : null);
    }

    private static Dictionary<string, string> ReadCsvColumns(ConfigFile file, YamlNode node, string setting)
    {
        if (node is not YamlMappingNode mapping)
        {
            throw file.Error(node, $"{setting} must map column names to types, such as `columns: {{amount: 'decimal(12,2)', day: date}}` (quote types that contain a comma).");
        }

        var columns = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in mapping.Children)
        {
            var column = ReadIdentifier(file, key, $"a column of {setting}");
            columns[column] = file.ReadString(value, $"{setting}.{column}");
        }

        return columns;
    }

    private static string ReadIdentifier(ConfigFile file, YamlNode node, string what)
    {
        var text = file.ReadString(node, what);
        return Identifier.IsValid(text)
            ? text
            : throw file.Error(node, $"{what} '{text}' is not a valid name; use letters, digits and '_', starting with a letter or '_', at most {Identifier.MaxLength} characters.");
    }

    private static IReadOnlyList<string> ReadIdentifiers(ConfigFile file, YamlNode node, string what)
    {
        if (node is YamlScalarNode)
        {
            return [ReadIdentifier(file, node, what)];
        }

        if (node is not YamlSequenceNode { Children.Count: > 0 } list)
        {
            throw file.Error(node, $"{what} must be a column name or a list of them, such as [id].");
        }

        var names = list.Children.Select(n => ReadIdentifier(file, n, what)).ToList();
        var duplicate = names.GroupBy(n => n, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        return duplicate is null ? names : throw file.Error(node, $"{what} names '{duplicate.Key}' twice; keep one.");
    }

    private static bool ReadBool(ConfigFile file, YamlNode node, string what) => file.ReadString(node, what).ToLowerInvariant() switch
    {
        "true" or "yes" or "on" => true,
        "false" or "no" or "off" => false,
        var other => throw file.Error(node, $"{what} must be true or false, not '{other}'."),
    };

    private static char ReadChar(ConfigFile file, YamlNode node, string what)
    {
        var text = file.ReadString(node, what);
        var value = text == "\\t" ? "\t" : text;
        return value.Length == 1 ? value[0] : throw file.Error(node, $"{what} must be one character (\\t for a tab), not '{text}'.");
    }
}
