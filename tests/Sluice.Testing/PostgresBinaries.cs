using System.Diagnostics;

namespace Sluice.Testing;

/// <summary>Finds the PostgreSQL server programs (initdb, pg_ctl) installed on this machine.</summary>
internal static class PostgresBinaries
{
    public const string InstallHint =
        "PostgreSQL server binaries (initdb, pg_ctl) were not found. Install them with `apt-get install postgresql` " +
        "(the test command does this when run as root), or set SLUICE_PG_BIN to the folder that holds them.";

    /// <summary>The folder holding initdb and pg_ctl, or throws with what to install.</summary>
    public static string FindBinDirectory()
    {
        var candidates = new List<string>();
        if (Environment.GetEnvironmentVariable("SLUICE_PG_BIN") is { Length: > 0 } configured)
        {
            candidates.Add(configured);
        }

        // Debian keeps server programs out of PATH, one folder per major version; prefer the newest.
        if (Directory.Exists("/usr/lib/postgresql"))
        {
            candidates.AddRange(Directory.GetDirectories("/usr/lib/postgresql")
                .OrderByDescending(d => int.TryParse(Path.GetFileName(d), out var v) ? v : 0)
                .Select(d => Path.Combine(d, "bin")));
        }

        candidates.AddRange((Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':', StringSplitOptions.RemoveEmptyEntries));
        foreach (var directory in candidates)
        {
            if (File.Exists(Path.Combine(directory, "initdb")) && File.Exists(Path.Combine(directory, "pg_ctl")))
            {
                return directory;
            }
        }

        throw new InvalidOperationException(InstallHint);
    }

    /// <summary>initdb refuses to run as root; the server then runs as the postgres system user.</summary>
    public static string? RunAsUser()
    {
        if (Environment.UserName != "root")
        {
            return null;
        }

        using var id = Process.Start(new ProcessStartInfo("id", "-u postgres") { RedirectStandardOutput = true, RedirectStandardError = true })!;
        id.WaitForExit();
        return id.ExitCode == 0
            ? "postgres"
            : throw new InvalidOperationException(
                "Tests run as root, and PostgreSQL refuses to run as root, but there is no 'postgres' system user to run it as. " +
                "Install PostgreSQL with `apt-get install postgresql` (it creates that user) or run the tests as an ordinary user.");
    }
}
