using System.Globalization;
using System.Text.RegularExpressions;
using Npgsql;
using Sluice.Testing;

namespace Sluice.Bench;

/// <summary>
/// A throwaway PostgreSQL server with a database per size. The server logs the duration of
/// every statement (<c>log_min_duration_statement = 0</c>); the limit of a request is the sum of
/// the durations logged while it was served: the parse, bind and execute of each statement Sluice
/// sent for it, timed by PostgreSQL itself, on the very requests that were timed over HTTP.
/// </summary>
internal sealed partial class PostgresEngine : ScaleEngine
{
    private readonly PostgresServer _server;
    private readonly string _log;
    private readonly Dictionary<string, List<TimeSpan>> _limits = new(StringComparer.Ordinal);
    private long _offset;

    private PostgresEngine(PostgresServer server, string log) => (_server, _log) = (server, log);

    public override string Name => "PostgreSQL";

    public override string LimitMethod =>
        "the sum of the durations PostgreSQL logged (`log_min_duration_statement = 0`) for the parse, bind and execute of every statement Sluice sent while serving each timed request";

    public static async Task<PostgresEngine> StartAsync()
    {
        var server = await PostgresServer.StartPrivateAsync();
        await using var connection = new NpgsqlConnection(server.ConnectionString());
        await connection.OpenAsync();
        string directory;
        await using (var command = new NpgsqlCommand("show data_directory", connection))
        {
            directory = (string)(await command.ExecuteScalarAsync())!;
        }

        await using (var command = new NpgsqlCommand("alter system set log_min_duration_statement = 0; select pg_reload_conf();", connection))
        {
            await command.ExecuteNonQueryAsync();
        }

        return new PostgresEngine(server, Path.Combine(directory, "server.log"));
    }

    public override async Task<string> WarehouseAsync(long rows)
    {
        _limits.Clear();
        return $"type: postgres\nurl: {await _server.CreateDatabaseAsync($"scale{rows}")}";
    }

    // Freshly loaded tables have no statistics until autovacuum gets to them; a first funnel
    // planned without them took 27 s on 20,000 events. A pipeline's tables have statistics.
    public override async Task AfterLoadAsync(Sluice.Core.Warehouse.IWarehouseSession session)
    {
        await session.ExecuteAsync("analyze raw.facts");
        await session.ExecuteAsync("analyze raw.events");
    }

    public override void BeforeRequest() => _offset = new FileInfo(_log).Length;

    public override async Task AfterRequestAsync(Question question)
    {
        await using var stream = new FileStream(_log, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        stream.Seek(_offset, SeekOrigin.Begin);
        var text = await new StreamReader(stream).ReadToEndAsync();
        var total = TimeSpan.Zero;
        foreach (Match match in Duration().Matches(text))
        {
            total += TimeSpan.FromMilliseconds(double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture));
        }

        if (!_limits.TryGetValue(question.Name, out var runs))
        {
            _limits[question.Name] = runs = [];
        }

        runs.Add(total);
    }

    public override Task<IReadOnlyDictionary<string, IReadOnlyList<TimeSpan>>> LimitsAsync(ScaleRun run) =>
        Task.FromResult<IReadOnlyDictionary<string, IReadOnlyList<TimeSpan>>>(_limits.ToDictionary(l => l.Key, l => (IReadOnlyList<TimeSpan>)l.Value, StringComparer.Ordinal));

    public override ValueTask DisposeAsync() => _server.DisposeAsync();

    [GeneratedRegex(@"LOG:  duration: ([0-9.]+) ms")]
    private static partial Regex Duration();
}
