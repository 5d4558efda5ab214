using Sluice.Core.Project;

namespace Sluice.Cli.Tasks;

/// <summary>The files <c>sluice init</c> writes into a new project.</summary>
internal static class ProjectScaffold
{
    private const string GitIgnore = """
        # The local warehouse and Sluice's working files.
        *.duckdb
        *.duckdb.wal
        .sluice/

        """;

    /// <summary>
    /// Writes the scaffold into <paramref name="directory"/> and returns what it created, as
    /// paths relative to it. Files that exist already (a README of an existing repository) are
    /// kept as they are.
    /// </summary>
    public static IReadOnlyList<string> Write(string directory, string name)
    {
        var created = new List<string>();
        Directory.CreateDirectory(directory);
        WriteNew(directory, SluiceProject.FileName, SluiceYml(name), created);
        foreach (var folder in new[] { "models/staging", "models/marts" })
        {
            // git does not keep empty folders; .gitkeep makes the layout survive a clone.
            Directory.CreateDirectory(Path.Combine(directory, folder));
            WriteNew(directory, $"{folder}/.gitkeep", string.Empty, created: null);
            created.Add($"{folder}/");
        }

        WriteNew(directory, "README.md", Readme(name), created);
        WriteNew(directory, ".gitignore", GitIgnore, created);
        return created;
    }

    private static void WriteNew(string directory, string relativePath, string content, List<string>? created)
    {
        var path = Path.Combine(directory, relativePath);
        if (File.Exists(path))
        {
            return;
        }

        File.WriteAllText(path, content);
        created?.Add(relativePath);
    }

    private static string SluiceYml(string name) => $$$"""
        # Sluice project settings. Values can read the environment: ${VAR} or ${VAR:-default}.
        name: {{{name}}}

        # Where the analytics data lives: by default a DuckDB file in this folder.
        warehouse:
          type: duckdb
          path: {{{WarehouseSettingsReader.DefaultDuckDbPath}}}
          # threads: 4
          # memory_limit: 4GB
        # Or a PostgreSQL server, with the password kept in the environment:
        # warehouse:
        #   type: postgres
        #   url: postgres://sluice:${PGPASSWORD}@localhost:5432/analytics

        # Application databases to sync into the warehouse, as raw.<source>__<table>.
        # sources:
        #   - name: app
        #     type: postgres
        #     url: postgres://readonly@localhost:5432/app   # password from ${PGPASSWORD}
        #     tables:
        #       - name: users
        #         primary_key: [id]
        #         cursor: updated_at

        # Values that models read with {{ var('start_date') }}.
        # vars:
        #   start_date: '2024-01-01'

        """;

    private static string Readme(string name) => $"""
        # {name}

        An analytics pipeline run by Sluice.

        - `sluice.yml`: the project's settings (warehouse, sources, vars).
        - `models/staging/`: SQL models that clean and rename the synced source tables, one view each.
        - `models/marts/`: SQL models that build the tables metrics and dashboards read.

        Try `sluice query "select 42 as answer"` and `sluice debug`.

        """;
}
