using System.Diagnostics;
using System.Globalization;
using Sluice.Testing;

namespace Sluice.Bench;

/// <summary>
/// A throwaway ClickHouse server (Debian's clickhouse-server). The SQL Sluice sends for each
/// question is recorded by a second <c>sluice serve</c> whose warehouse URL goes through a
/// <see cref="StatementRecorder"/>; the limit is Debian's <c>clickhouse-client</c> running exactly
/// those statements, timed by the client's own <c>--time</c>: from sending the query to the last
/// row, with no output format (<c>--format Null</c>) and no process start in it.
/// </summary>
internal sealed class ClickHouseEngine(ClickHouseServer server, string client) : ScaleEngine
{
    private const string Database = "scale";

    public override string Name => "ClickHouse";

    public override string LimitMethod =>
        "`clickhouse-client --time --format Null` (Debian's client, native protocol) running the statements Sluice sent for the question (the data-version query and the question's one or two), recorded by a relay in front of ClickHouse's HTTP port on a separate, untimed server; the client times each from sending it to its last block, in whole milliseconds";

    public static async Task<ClickHouseEngine> StartAsync()
    {
        var client = new[] { "/usr/bin/clickhouse-client", "/usr/local/bin/clickhouse-client" }.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("clickhouse-client was not found; install it with `apt-get install clickhouse-client` (Debian package clickhouse-client).");
        var server = await ClickHouseServer.StartPrivateAsync();
        await server.QueryAsync($"create database if not exists {Database}");
        return new ClickHouseEngine(server, client);
    }

    public override Task<string> WarehouseAsync(long rows) => Task.FromResult($"type: clickhouse\nurl: {server.Url(Database)}");

    public override async Task<IReadOnlyDictionary<string, IReadOnlyList<TimeSpan>>> LimitsAsync(ScaleRun run)
    {
        var statements = await RecordAsync(run);
        var limits = new Dictionary<string, IReadOnlyList<TimeSpan>>(StringComparer.Ordinal);
        foreach (var question in ScaleProject.Questions.Where(q => statements.ContainsKey(q.Name)))
        {
            var sent = statements[question.Name];
            var times = await RunClientAsync(sent, run.Options.Warmups + run.Options.Requests);
            // One request's time is that of all its statements: a trend on ClickHouse 18 counts its periods in a second query.
            limits[question.Name] = [.. times.Chunk(sent.Count).Skip(run.Options.Warmups).Select(c => c.Aggregate(TimeSpan.Zero, (a, b) => a + b))];
        }

        return limits;
    }

    private async Task<Dictionary<string, IReadOnlyList<string>>> RecordAsync(ScaleRun run)
    {
        await using var recorder = new StatementRecorder(server.HttpPort);
        var directory = run.Directory + "-recorded";
        await ScaleProject.WriteAsync(directory, $"type: clickhouse\nurl: http://{ClickHouseServer.User}:{server.Password}@127.0.0.1:{recorder.Port}/{Database}");
        var recorded = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        await using (var serve = await ServeProcess.StartAsync(run.Options.Sluice!, directory))
        {
            using var http = new HttpClient { BaseAddress = serve.Address, Timeout = TimeSpan.FromMinutes(10) };
            foreach (var question in ScaleProject.Questions)
            {
                recorder.Take();
                using var response = await http.GetAsync(question.Path);
                if (!response.IsSuccessStatusCode)
                {
                    // The timed server's failure on the same question is reported already.
                    continue;
                }

                recorded[question.Name] = recorder.Take();
                Console.WriteLine($"  ClickHouse {question.Name,-8} Sluice sent {recorded[question.Name].Count} statement(s), replayed with clickhouse-client:");
                foreach (var statement in recorded[question.Name])
                {
                    var line = string.Join(' ', statement.Split((char[])['\n', '\r', ' '], StringSplitOptions.RemoveEmptyEntries));
                    Console.WriteLine($"    {(line.Length > 110 ? line[..110] + "…" : line)}");
                }
            }
        }

        Directory.Delete(directory, recursive: true);
        return recorded;
    }

    private async Task<List<TimeSpan>> RunClientAsync(IReadOnlyList<string> statements, int repeats)
    {
        var start = new ProcessStartInfo(client)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "--host", "127.0.0.1", "--port", server.TcpPort.ToString(CultureInfo.InvariantCulture), "--user", ClickHouseServer.User, "--password", server.Password, "--database", Database, "--multiquery", "--time", "--format", "Null" })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {client}.");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        for (var i = 0; i < repeats; i++)
        {
            foreach (var statement in statements)
            {
                await process.StandardInput.WriteAsync(statement.TrimEnd().TrimEnd(';') + ";\n");
            }
        }

        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(30));
        await process.WaitForExitAsync(timeout.Token);
        var text = await errors;
        var times = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(l => double.TryParse(l, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) ? (double?)seconds : null)
            .OfType<double>().Select(TimeSpan.FromSeconds).ToList();
        if (process.ExitCode != 0 || times.Count != statements.Count * repeats)
        {
            throw new InvalidOperationException($"clickhouse-client exited with {process.ExitCode} and printed {times.Count} times for {statements.Count * repeats} statements: {text[..Math.Min(text.Length, 2000)]}{await output}");
        }

        return times;
    }

    public override ValueTask DisposeAsync() => server.DisposeAsync();
}
