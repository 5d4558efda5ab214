using Sluice.Core.Project;
using Sluice.Core.Sync;
using Sluice.Core.Tests.Project;

namespace Sluice.Core.Tests.Sync;

public class SourcesReaderTests
{
    private static IReadOnlyList<SourceDefinition> Read(string yaml, Func<string, string?>? environment = null)
    {
        using var project = new TempProject("name: t\n" + yaml);
        return SourcesReader.Read(ProjectLoader.Load(project.Directory, environment ?? (_ => null)));
    }

    private static string ErrorOf(string yaml)
    {
        using var project = new TempProject("name: t\n" + yaml);
        var loaded = ProjectLoader.Load(project.Directory, _ => null);
        return Assert.Throws<ConfigurationException>(() => SourcesReader.Read(loaded)).Message;
    }

    [Fact]
    public void Postgres_source_reads_tables_with_their_settings_and_defaults()
    {
        var sources = Read("""
            sources:
              - name: app
                type: postgres
                url: postgres://ro@localhost/app
                batch_size: 500
                tables:
                  - name: emails
                    primary_key: [id]
                    cursor: updated_at
                    lookback: 1h30m
                    columns: {exclude: [raw_body]}
                    parity: {date_column: received_at}
                    soft_delete: deleted_at
                  - countries
            """);

        var app = Assert.IsType<PostgresSourceDefinition>(Assert.Single(sources));
        Assert.Equal("public", app.Schema);
        var emails = app.Tables[0];
        Assert.Equal(["id"], emails.PrimaryKey);
        Assert.Equal(TimeSpan.FromMinutes(90), emails.Lookback.Duration);
        Assert.False(emails.Copies("raw_body"));
        Assert.True(emails.Copies("subject"));
        Assert.Equal("received_at", emails.ParityDateColumn);
        Assert.Equal(500, emails.BatchSize);
        Assert.Equal(new SyncTableDefinition("countries", app.Tables[1].Location, [], null, Lookback.None, [], [], null, null, 500, null), app.Tables[1]);
    }

    [Fact]
    public void Csv_source_reads_format_and_declared_types()
    {
        var csv = Assert.IsType<CsvSourceDefinition>(Assert.Single(Read("""
            sources:
              - name: files
                type: csv
                path: data/*.csv
                delimiter: ';'
                header: false
                columns: {amount: 'decimal(12,2)'}
            """)));

        Assert.Equal(new CsvFormat(false, ';', '"'), csv.Format);
        Assert.Equal("decimal(12,2)", csv.Columns["amount"]);
    }

    [Fact]
    public void Csv_source_with_tables_is_one_definition_per_table_under_the_source_name()
    {
        var tables = Read("""
            sources:
              - name: app
                type: csv
                delimiter: ';'
                tables:
                  - name: emails
                    path: data/emails_*.csv
                    columns: {id: bigint}
                  - {name: applications, path: data/applications_*.csv}
            """).Cast<CsvSourceDefinition>().ToList();

        Assert.Equal(["app", "app"], tables.Select(t => t.Name));
        Assert.Equal(["emails", "applications"], tables.Select(t => t.Table));
        Assert.Equal(["data/emails_*.csv", "data/applications_*.csv"], tables.Select(t => t.Path));
        Assert.All(tables, t => Assert.Equal(';', t.Format.Delimiter));
        Assert.Equal("bigint", tables[0].Columns["id"]);
        Assert.Empty(tables[1].Columns);
        Assert.Equal("sources.app.tables.emails", tables[0].SettingsName);
    }

    [Theory]
    [InlineData("sources:\n  - name: app\n    type: mysql\n", "sluice.yml:4:11: source type 'mysql' is not supported")]
    [InlineData("sources:\n  - type: csv\n    path: x.csv\n", "sluice.yml:3:5: this source has no name")]
    [InlineData("sources:\n  - name: app\n    type: postgres\n    url: postgres://h/db\n    tables:\n      - name: t\n        lookback: soon\n", "sluice.yml:8:19: app.t.lookback 'soon' is not a duration")]
    [InlineData("sources:\n  - name: app\n    type: postgres\n    url: postgres://h/db\n    tables:\n      - name: t\n        lookback: 10m\n", "sluice.yml:8:9: app.t.lookback needs a cursor")]
    [InlineData("sources:\n  - name: app\n    type: postgres\n    url: postgres://h/db\n    tables:\n      - name: t\n        primary_key: [id]\n        columns: {exclude: [id]}\n", "leaves out column 'id'")]
    [InlineData("sources:\n  - name: app\n    type: csv\n    path: a.csv\n    url: postgres://h/db\n", "sluice.yml:6:5: 'url' does not apply to a csv source ('app')")]
    [InlineData("sources:\n  - name: app\n    type: postgres\n    url: mysql://h/db\n    tables: [t]\n", "is not a PostgreSQL URL")]
    [InlineData("sources:\n  - name: a-b\n    type: csv\n    path: x.csv\n", "source name 'a-b' is not a valid name")]
    [InlineData("sources:\n  - name: app\n    type: csv\n    path: x.csv\n    tables:\n      - {name: t, path: t.csv}\n", "sluice.yml:5:5: sources.app has tables, so `path` belongs to each table")]
    [InlineData("sources:\n  - name: app\n    type: csv\n    tables:\n      - {name: t}\n", "sluice.yml:6:9: sources.app.tables.t needs a path")]
    [InlineData("sources:\n  - name: app\n    type: csv\n    tables:\n      - {name: t, path: a.csv}\n      - {name: t, path: b.csv}\n", "sources.app lists table 't' twice")]
    [InlineData("sources:\n  - name: app\n    type: csv\n    tables: []\n", "sources.app.tables must be a non-empty list")]
    public void Mistakes_name_their_line_and_what_to_write(string yaml, string expected)
    {
        Assert.Contains(expected, ErrorOf(yaml));
    }

    [Fact]
    public void Passwords_in_a_bad_url_are_masked()
    {
        var message = ErrorOf("sources:\n  - name: app\n    type: postgres\n    url: mysql://u:s3cret@h/db\n    tables: [t]\n");

        Assert.DoesNotContain("s3cret", message);
    }

    [Theory]
    [InlineData("10m", 600L, null)]
    [InlineData("2h", 7200L, null)]
    [InlineData("1d", 86400L, null)]
    [InlineData("1000", null, 1000L)]
    public void Lookback_parses_durations_and_amounts(string text, long? seconds, long? amount)
    {
        var lookback = Lookback.TryParse(text)!;

        Assert.Equal(seconds, lookback.Duration is { } d ? (long)d.TotalSeconds : null);
        Assert.Equal(amount, lookback.Amount);
    }
}
