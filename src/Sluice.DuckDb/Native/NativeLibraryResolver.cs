using System.Reflection;
using System.Runtime.InteropServices;

namespace Sluice.DuckDb.Native;

/// <summary>
/// Finds libduckdb: <c>DUCKDB_LIBRARY</c> when set, else the copy the build places next to the
/// assemblies, else the system's loader paths. Failing all three is one clear error.
/// </summary>
internal static class NativeLibraryResolver
{
    public const string EnvironmentVariable = "DUCKDB_LIBRARY";

    private static readonly Lock Gate = new();
    private static nint s_library;

    public static void Register(Assembly assembly) => NativeLibrary.SetDllImportResolver(assembly, Resolve);

    /// <summary>The address of an exported symbol of the loaded library, or 0 when it has none by that name.</summary>
    public static nint Export(string name) =>
        NativeLibrary.TryGetExport(Library(typeof(NativeLibraryResolver).Assembly), name, out var address) ? address : 0;

    private static nint Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath) =>
        libraryName == NativeMethods.Library ? Library(assembly) : 0;

    private static nint Library(Assembly assembly)
    {
        lock (Gate)
        {
            if (s_library == 0)
            {
                s_library = Load(assembly);
            }

            return s_library;
        }
    }

    private static nint Load(Assembly assembly)
    {
        var fileName = PlatformFileName();
        var overridePath = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrEmpty(overridePath))
        {
            if (!File.Exists(overridePath))
            {
                throw new DuckDbLibraryNotFoundException(
                    $"{EnvironmentVariable} points at '{overridePath}', which does not exist. Set it to the path of {fileName} (DuckDB 1.5.x) or unset it.");
            }

            return LoadOrThrow(overridePath);
        }

        var besideAssemblies = Path.Combine(AppContext.BaseDirectory, fileName);
        if (File.Exists(besideAssemblies))
        {
            return LoadOrThrow(besideAssemblies);
        }

        var assemblyDirectory = Path.GetDirectoryName(assembly.Location);
        if (!string.IsNullOrEmpty(assemblyDirectory))
        {
            var besideBinding = Path.Combine(assemblyDirectory, fileName);
            if (File.Exists(besideBinding))
            {
                return LoadOrThrow(besideBinding);
            }
        }

        if (NativeLibrary.TryLoad(fileName, assembly, DllImportSearchPath.SafeDirectories, out var fromSystem))
        {
            return fromSystem;
        }

        throw new DuckDbLibraryNotFoundException(
            $"The DuckDB native library ({fileName}) was not found next to {AppContext.BaseDirectory} nor on the system's library path. " +
            $"Sluice's build copies it there from the NuGet package DuckDB.NET.Bindings.Full, unless that package has no build for this platform; rebuild, or set {EnvironmentVariable} to the path of a DuckDB 1.5.x {fileName}.");
    }

    private static nint LoadOrThrow(string path)
    {
        try
        {
            return NativeLibrary.Load(path);
        }
        catch (DllNotFoundException)
        {
            // The runtime's own message is a paragraph of loader advice; the cause is one of these.
            throw new DuckDbLibraryNotFoundException(
                $"The DuckDB native library at '{path}' could not be loaded: it is not a shared library for this system or one of its dependencies is missing. Point {EnvironmentVariable} at a DuckDB 1.5.x build for this machine.");
        }
        catch (BadImageFormatException e)
        {
            throw new DuckDbLibraryNotFoundException($"The file '{path}' is not a DuckDB library for this system: {e.Message}");
        }
    }

    private static string PlatformFileName() =>
        OperatingSystem.IsWindows() ? "duckdb.dll"
        : OperatingSystem.IsMacOS() ? "libduckdb.dylib"
        : "libduckdb.so";
}
