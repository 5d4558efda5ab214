using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization;
using Sluice.Core.Project;

namespace Sluice.Warehouses.DuckDb;

/// <summary>
/// The long-running process — <c>sluice serve</c>, or <c>sluice schedule</c> — that holds a
/// project's DuckDB file. DuckDB lets one process open a file at a time, so the holder announces
/// itself in a file next to the database (<c>warehouse.duckdb.serving</c>) and other commands
/// learn from it where to send their work, or whom to name when they cannot open the file.
/// </summary>
/// <param name="ProcessId">The holder's process id.</param>
/// <param name="Url">Where it listens, such as http://127.0.0.1:8080; empty for a holder without an API.</param>
/// <param name="StartedAt">When it started.</param>
/// <param name="Command">The holder's command: serve or schedule.</param>
public sealed record ServingHolder(
    [property: JsonPropertyName("pid")] int ProcessId,
    [property: JsonPropertyName("url")] string Url,
    [property: JsonPropertyName("started_at")] DateTimeOffset StartedAt,
    [property: JsonPropertyName("command")] string Command = "serve")
{
    /// <summary>Whether the holder takes commands over HTTP (a server), so that work can be sent to it.</summary>
    [JsonIgnore]
    public bool HasApi => Url.Length > 0;

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    /// <summary>The announcement file of the DuckDB file at <paramref name="databasePath"/>.</summary>
    public static string FileOf(string databasePath) => databasePath + ".serving";

    /// <summary>The DuckDB file a project's warehouse settings name, or null for other engines and in-memory databases.</summary>
    public static string? DatabaseOf(WarehouseSettings settings, string projectDirectory) =>
        settings is DuckDbWarehouseSettings duckdb && duckdb.Path != Sluice.DuckDb.DuckDbConnectionStringBuilder.InMemory
            ? Path.GetFullPath(Path.Combine(projectDirectory, duckdb.Path))
            : null;

    /// <summary>
    /// The process serving the file at <paramref name="databasePath"/>, or null when none is:
    /// no announcement, an unreadable one, or one left by a process that has exited.
    /// </summary>
    public static ServingHolder? Find(string databasePath)
    {
        ServingHolder? holder;
        try
        {
            holder = JsonSerializer.Deserialize<ServingHolder>(File.ReadAllText(FileOf(databasePath)), Json);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            return null;
        }

        return holder is not null && IsRunning(holder.ProcessId) ? holder : null;
    }

    /// <summary>Announces this process as the server of <paramref name="databasePath"/>; dispose the result to withdraw it.</summary>
    public static IDisposable Announce(string databasePath, Uri url) => Announce(databasePath, url, "serve");

    /// <summary>
    /// Announces this process, running <c>sluice <paramref name="command"/></c>, as the holder of
    /// <paramref name="databasePath"/>, listening at <paramref name="url"/> or, when null, without
    /// an API; dispose the result to withdraw it.
    /// </summary>
    public static IDisposable Announce(string databasePath, Uri? url, string command)
    {
        var file = FileOf(databasePath);
        var holder = new ServingHolder(Environment.ProcessId, url?.ToString().TrimEnd('/') ?? string.Empty, DateTimeOffset.UtcNow, command);

        // Written aside and moved into place, so that a reader never sees half an announcement.
        var written = $"{file}.{Environment.ProcessId}.tmp";
        File.WriteAllText(written, JsonSerializer.Serialize(holder, Json));
        File.Move(written, file, overwrite: true);
        return new Withdrawal(file);
    }

    /// <summary>Whether the holder is this process, which shares the file with it.</summary>
    [JsonIgnore]
    public bool IsThisProcess => ProcessId == Environment.ProcessId;

    /// <summary>The holder, for messages: "sluice serve (pid 1234, http://127.0.0.1:8080)", "sluice schedule (pid 1234)".</summary>
    public override string ToString() => HasApi ? $"sluice {Command} (pid {ProcessId}, {Url})" : $"sluice {Command} (pid {ProcessId})";

    private static bool IsRunning(int processId)
    {
        try
        {
            // A process id can be reused after a crash; only a .NET host or sluice itself counts.
            using var process = Process.GetProcessById(processId);
            return !process.HasExited && process.ProcessName is "dotnet" or "sluice";
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    // Withdrawn when disposed, and in any case when the process exits: System.CommandLine ends
    // the process a few seconds after SIGTERM even if the server is still stopping (a slow client,
    // a job rolling back), and the announcement must not outlive it.
    private sealed class Withdrawal : IDisposable
    {
        private readonly string _file;
        private int _withdrawn;

        public Withdrawal(string file)
        {
            _file = file;
            AppDomain.CurrentDomain.ProcessExit += OnProcessExit;
        }

        public void Dispose()
        {
            AppDomain.CurrentDomain.ProcessExit -= OnProcessExit;
            Withdraw();
        }

        private void OnProcessExit(object? sender, EventArgs e) => Withdraw();

        private void Withdraw()
        {
            if (Interlocked.Exchange(ref _withdrawn, 1) == 1)
            {
                return;
            }

            try
            {
                File.Delete(_file);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // A stale announcement names a process that has exited, and is ignored.
            }
        }
    }
}
