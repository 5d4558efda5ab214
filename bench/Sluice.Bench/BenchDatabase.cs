using System.Globalization;
using Sluice.DuckDb;

namespace Sluice.Bench;

/// <summary>
/// DuckDB database files in a private temporary directory, deleted at the end. Files rather than
/// ":memory:" because the server works on files, and a file database is shared by every
/// connection of the process; each part uses its own file so one part's buffers cannot flatter
/// or burden another's figures.
/// </summary>
internal sealed class BenchDatabase : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("sluice-bench-").FullName;

    /// <summary>DuckDB worker threads: one per core, as the server is configured.</summary>
    public int Threads { get; } = Environment.ProcessorCount;

    public string Folder => _directory;

    public string ConnectionString(string name) =>
        string.Create(CultureInfo.InvariantCulture, $"Data Source={Path.Combine(_directory, name + ".duckdb")};Threads={Threads}");

    public DuckDbConnection Open(string name)
    {
        var connection = new DuckDbConnection(ConnectionString(name));
        connection.Open();
        return connection;
    }

    /// <summary>A private in-memory database with the same settings as the files.</summary>
    public DuckDbConnection OpenInMemory()
    {
        var connection = new DuckDbConnection(string.Create(CultureInfo.InvariantCulture, $"Data Source=:memory:;Threads={Threads}"));
        connection.Open();
        return connection;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException e)
        {
            // A leftover temp directory is not worth failing a finished benchmark over.
            Console.Error.WriteLine($"Could not delete {_directory}: {e.Message}");
        }
    }
}
