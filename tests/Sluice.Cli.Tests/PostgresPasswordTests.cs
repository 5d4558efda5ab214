using Npgsql;
using Sluice.Testing;

namespace Sluice.Cli.Tests;

/// <summary>
/// A PostgreSQL server that asks for a password (scram-sha-256 over TCP), reached through URLs
/// that hold none, as docs/warehouses.md and the ApplyLens example advise: the password comes from
/// PGPASSWORD or from ~/.pgpass. Each run gets a HOME of its own, so the machine's own ~/.pgpass
/// and PGPASSWORD never take part. No password, or a wrong one, is a clear error; no password
/// ever appears in what sluice prints.
/// </summary>
public sealed class PostgresPasswordTests(PasswordServer server) : IClassFixture<PasswordServer>, IDisposable
{
    // The hints refused logins end with, written out here rather than taken from Sluice.
    private const string WhereThePasswordGoes =
        "give the password in PGPASSWORD or ~/.pgpass (host:port:database:user:password, mode 0600), or in the url as user:password@host";

    private const string CheckThePassword = "check the user and the password (in the url, PGPASSWORD or ~/.pgpass)";

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private string Home => _temp.Combine("home");

    [Fact]
    public async Task Pgpassword_gives_the_password_to_the_source_and_the_warehouse()
    {
        var project = await WriteProjectAsync(warehouseOnPostgres: true);

        var sync = await RunAsync(project, new() { ["PGPASSWORD"] = PasswordServer.Password }, "sync");
        var query = await RunAsync(project, new() { ["PGPASSWORD"] = PasswordServer.Password }, "query", "select string_agg(name, '|' order by id) as names from raw.app__people", "--format", "csv");

        Assert.True(sync.ExitCode == 0, sync.ToString());
        Assert.True(query.ExitCode == 0, query.ToString());
        Assert.Equal("names\nann|bob|cy\n", query.Stdout);
    }

    [Fact]
    public async Task A_pgpass_file_in_home_gives_the_password_to_the_source_and_the_warehouse()
    {
        var project = await WriteProjectAsync(warehouseOnPostgres: true);
        Directory.CreateDirectory(Home);
        var pgpass = Path.Combine(Home, ".pgpass");
        await File.WriteAllTextAsync(pgpass, $"# host:port:database:user:password\n127.0.0.1:{server.Server.Port}:*:postgres:{PasswordServer.Password}\n");
        if (!OperatingSystem.IsWindows())
        {
            // As libpq demands of the file (0600); Windows keeps it elsewhere, as pgpass.conf.
            File.SetUnixFileMode(pgpass, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        var sync = await RunAsync(project, [], "sync");
        var query = await RunAsync(project, [], "query", "select string_agg(name, '|' order by id) as names from raw.app__people", "--format", "csv");

        Assert.True(sync.ExitCode == 0, sync.ToString());
        Assert.True(query.ExitCode == 0, query.ToString());
        Assert.Equal("names\nann|bob|cy\n", query.Stdout);
    }

    [Fact]
    public async Task Without_a_password_the_source_and_the_warehouse_fail_saying_where_to_give_one()
    {
        var sourceOnly = await WriteProjectAsync(warehouseOnPostgres: false);
        var warehouse = await WriteProjectAsync(warehouseOnPostgres: true);

        var sync = await RunAsync(sourceOnly, [], "sync");
        var query = await RunAsync(warehouse, [], "query", "select 1");
        var debug = await RunAsync(warehouse, [], "debug");

        Assert.True(sync.ExitCode == 2, sync.ToString());
        Assert.Contains("app.people: failed", sync.Stderr, StringComparison.Ordinal);
        Assert.Contains(
            $"error: source 'app' ({server.UrlWithoutPassword(server.SourceDatabase)}): No password has been provided but the backend requires one",
            sync.Stderr,
            StringComparison.Ordinal);
        Assert.EndsWith($"; {WhereThePasswordGoes}.\n", sync.Stderr, StringComparison.Ordinal);
        Assert.True(query.ExitCode == 2, query.ToString());
        Assert.StartsWith("error: the query failed: PostgreSQL error while connecting to postgres://postgres@", query.Stderr, StringComparison.Ordinal);
        Assert.Contains("No password has been provided but the backend requires one", query.Stderr, StringComparison.Ordinal);
        Assert.EndsWith($"; {WhereThePasswordGoes}.\n", query.Stderr, StringComparison.Ordinal);
        Assert.Single(query.Stderr.TrimEnd('\n').Split('\n'));
        Assert.True(debug.ExitCode == 2, debug.ToString());
        Assert.Matches(@"(?m)^connection\s+FAILED$", debug.Stdout);
        Assert.StartsWith("error: cannot log in to the warehouse: ", debug.Stderr, StringComparison.Ordinal);
        Assert.EndsWith($"; {WhereThePasswordGoes}.\n", debug.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_password_fails_naming_the_user_and_shows_neither_password()
    {
        const string Wrong = "Wr0ng-8e51a0d3";
        var sourceOnly = await WriteProjectAsync(warehouseOnPostgres: false);
        var warehouse = await WriteProjectAsync(warehouseOnPostgres: true);

        var sync = await RunAsync(sourceOnly, new() { ["PGPASSWORD"] = Wrong }, "sync", "--verbose");
        var query = await RunAsync(warehouse, new() { ["PGPASSWORD"] = Wrong }, "query", "select 1", "--verbose");

        Assert.True(sync.ExitCode == 2, sync.ToString());
        Assert.Contains($"password authentication failed for user \"postgres\" while connecting; {CheckThePassword}.", sync.Stderr, StringComparison.Ordinal);
        Assert.True(query.ExitCode == 2, query.ToString());
        Assert.StartsWith("error: the query failed: ", query.Stderr, StringComparison.Ordinal);
        Assert.Contains($"password authentication failed for user \"postgres\"; {CheckThePassword}.", query.Stderr, StringComparison.Ordinal);
        foreach (var output in new[] { sync, query })
        {
            Assert.DoesNotContain(Wrong, output.Stdout + output.Stderr, StringComparison.Ordinal);
        }
    }

    // A project reading the server's source database, with its warehouse in another database of
    // the server or in DuckDB; the URLs name user, host, port and database, and no password.
    private async Task<string> WriteProjectAsync(bool warehouseOnPostgres)
    {
        var directory = _temp.Combine(warehouseOnPostgres ? "postgres-warehouse" : "duckdb-warehouse");
        Directory.CreateDirectory(directory);
        var warehouse = warehouseOnPostgres
            ? $"warehouse:\n  type: postgres\n  url: {server.UrlWithoutPassword(await server.CreateDatabaseAsync("warehouse"))}\n"
            : string.Empty;
        await File.WriteAllTextAsync(
            Path.Combine(directory, "sluice.yml"),
            $"name: guarded\n{warehouse}sources:\n  - name: app\n    type: postgres\n    url: {server.UrlWithoutPassword(server.SourceDatabase)}\n    tables:\n      - name: people\n        primary_key: [id]\n        cursor: updated_at\n");
        return directory;
    }

    // Runs sluice with HOME set to this test's folder and no password in the environment other
    // than the one given; asserts that the right password is nowhere in what it printed.
    private async Task<SluiceResult> RunAsync(string project, Dictionary<string, string?> environment, params string[] arguments)
    {
        environment = new Dictionary<string, string?>(environment) { ["HOME"] = Home };
        foreach (var variable in new[] { "PGPASSWORD", "PGPASSFILE", "PGUSER", "PGHOST", "PGPORT", "PGDATABASE" })
        {
            environment.TryAdd(variable, null);
        }

        Directory.CreateDirectory(Home);
        await using var running = RunningSluice.Start(project, arguments, environment);
        var result = await running.WaitAsync();
        Assert.DoesNotContain(PasswordServer.Password, result.Stdout + result.Stderr, StringComparison.Ordinal);
        return result;
    }
}

/// <summary>A private PostgreSQL server that asks for a password over TCP, with a source database holding three people.</summary>
public sealed class PasswordServer : IAsyncLifetime
{
    /// <summary>The superuser's password; distinctive, so that finding it in output cannot be chance.</summary>
    public const string Password = "Pw-c41e-77b9-Secret";

    public PostgresServer Server { get; private set; } = null!;

    /// <summary>The name of the database holding <c>people</c>.</summary>
    public string SourceDatabase { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Server = await PostgresServer.StartPrivateAsync(Password);
        SourceDatabase = await CreateDatabaseAsync("source");
        await using var connection = new NpgsqlConnection(Server.ConnectionString(SourceDatabase));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "create table people (id int primary key, name text not null, updated_at timestamptz not null); insert into people values (1, 'ann', now()), (2, 'bob', now()), (3, 'cy', now());",
            connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Creates a fresh database and returns its name.</summary>
    public async Task<string> CreateDatabaseAsync(string prefix) => new Uri(await Server.CreateDatabaseAsync(prefix)).AbsolutePath.TrimStart('/');

    /// <summary>A URL for <paramref name="database"/> as the superuser, without the password.</summary>
    public string UrlWithoutPassword(string database) => $"postgres://postgres@127.0.0.1:{Server.Port}/{database}";

    public async Task DisposeAsync() => await Server.DisposeAsync();
}
