using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization;
using Sluice.Core.Project;

namespace Sluice.Warehouses.DuckDb;

/// <summary>
/// The <c>sluice serve</c> process that holds a project's DuckDB file. DuckDB lets one process
/// open a file at a time, so the server announces itself in a file next to the database
/// (<c>warehouse.duckdb.serving</c>) and other commands learn from it where to send their work,
/// or whom to name when they cannot open the file.
/// </summary>
/// <param name="ProcessId">The server's process id.</param>
/// <param name="Url">Where it listens, such as http://127.0.0.1:8080.</param>
/// <param name="StartedAt">When it started serving.</param>
public sealed record ServingHolder(
    [property: JsonPropertyName("pid")] int ProcessId,
    [property: JsonPropertyName("url")] string Url,
    [property: JsonPropertyName("started_at")] DateTimeOffset StartedAt)
{
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
    public static IDisposable Announce(string databasePath, Uri url)
    {
        var file = FileOf(databasePath);
        var holder = new ServingHolder(Environment.ProcessId, url.ToString().TrimEnd('/'), DateTimeOffset.UtcNow);

        // Written aside and moved into place, so that a reader never sees half an announcement.
        var written = $"{file}.{Environment.ProcessId}.tmp";
        File.WriteAllText(written, JsonSerializer.Serialize(holder, Json));
        File.Move(written, file, overwrite: true);
        return new Withdrawal(file);
    }

    /// <summary>Whether the holder is this process, which shares the file with it.</summary>
    [JsonIgnore]
    public bool IsThisProcess => ProcessId == Environment.ProcessId;

    /// <summary>The server, for messages: "sluice serve (pid 1234, http://127.0.0.1:8080)".</summary>
    public override string ToString() => $"sluice serve (pid {ProcessId}, {Url})";

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
