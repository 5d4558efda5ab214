using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Sluice.Core.Project;

namespace Sluice.Operate.Export;

/// <summary>
/// The folder an export writes to, held for the export's length. Every file is written to a
/// hidden temp file beside its final name and renamed over it once complete, so a reader (or an
/// export killed at any instant) sees the previous file or the new one, never part of one. The
/// hold is a lock on <c>.sluice-export.lock</c>, which the operating system lets go when the
/// process ends however it ends; under it, temp files that a killed export left are removed.
/// </summary>
internal sealed partial class ExportDirectory : IDisposable
{
    /// <summary>The lock file's name.</summary>
    public const string LockFileName = ".sluice-export.lock";

    private readonly FileStream _lock;

    private ExportDirectory(string path, FileStream lockFile)
    {
        Path = path;
        _lock = lockFile;
    }

    /// <summary>The folder, absolute.</summary>
    public string Path { get; }

    /// <summary>
    /// Creates the folder when missing and takes its lock; a folder that cannot be created or
    /// written is a usage error, one another export holds a runtime one.
    /// </summary>
    public static ExportDirectory Open(string path)
    {
        try
        {
            Directory.CreateDirectory(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            var reason = FileInTheWay(path) is { } file ? $"{file} is a file, not a folder" : e.Message.TrimEnd('.');
            throw new ConfigurationException($"--out {path}: the folder cannot be created ({reason}); give a folder you can write to.", e);
        }

        FileStream lockFile;
        try
        {
            lockFile = new FileStream(System.IO.Path.Combine(path, LockFileName), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e) when (CanWriteIn(path))
        {
            // Writable but not lockable: another process holds the lock.
            throw new SluiceException($"--out {path} is being written by another sluice export (it holds {LockFileName}); wait for that export to finish, or export to another folder.", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigurationException($"--out {path}: the folder is not writable ({e.Message.TrimEnd('.')}); give a folder you can write to.", e);
        }

        var directory = new ExportDirectory(path, lockFile);
        directory.RemoveLeftovers();
        return directory;
    }

    // Whether a new file can be made in the folder. .NET reports a lock held elsewhere with an
    // error number that differs between operating systems; a folder that takes new files tells
    // that case apart from one that cannot be written, on all of them.
    private static bool CanWriteIn(string folder)
    {
        var probe = System.IO.Path.Combine(folder, $".sluice-export.{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))}.probe");
        try
        {
            new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose).Dispose();
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    // The path itself or a folder above it that is a file: what .NET reports only as a missing part of the path.
    private static string? FileInTheWay(string path)
    {
        for (var part = path; !string.IsNullOrEmpty(part); part = System.IO.Path.GetDirectoryName(part))
        {
            if (File.Exists(part))
            {
                return part;
            }
        }

        return null;
    }

    /// <summary>The final path of <paramref name="fileName"/>.</summary>
    public string FinalPath(string fileName) => System.IO.Path.Combine(Path, fileName);

    /// <summary>A new, empty temp file for <paramref name="fileName"/>, in this folder so that the rename stays on one file system.</summary>
    public string NewTempPath(string fileName)
    {
        var temp = System.IO.Path.Combine(Path, $".{fileName}.{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))}.tmp");
        File.Create(temp).Dispose();
        return temp;
    }

    /// <summary>
    /// Puts the complete temp file in place of <paramref name="fileName"/>: its bytes are flushed
    /// to the disk first, so that the rename never makes visible a file whose data is not yet there.
    /// </summary>
    public void Commit(string tempPath, string fileName)
    {
        using (var file = new FileStream(tempPath, FileMode.Open, FileAccess.ReadWrite, FileShare.None))
        {
            file.Flush(flushToDisk: true);
        }

        File.Move(tempPath, FinalPath(fileName), overwrite: true);
    }

    /// <summary>Deletes a temp file that will not be committed; a failure to do so is left for the next export's clean-up.</summary>
    public static void Discard(string tempPath)
    {
        try
        {
            File.Delete(tempPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The next export in this folder removes it.
        }
    }

    /// <summary>Lets the folder go.</summary>
    public void Dispose() => _lock.Dispose();

    // Only this process writes here now, so any temp file is an interrupted export's.
    private void RemoveLeftovers()
    {
        foreach (var file in Directory.EnumerateFiles(Path, ".*.tmp"))
        {
            if (TempName().IsMatch(System.IO.Path.GetFileName(file)))
            {
                Discard(file);
            }
        }
    }

    [GeneratedRegex(@"^\..+\.[0-9a-f]{16}\.tmp$", RegexOptions.CultureInvariant)]
    private static partial Regex TempName();
}
