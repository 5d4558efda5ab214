using System.Collections.Frozen;
using System.Reflection;

namespace Sluice.Server.Web;

/// <summary>
/// The web app's files, embedded in this assembly by the build (resources named <c>web/...</c>,
/// see Sluice.Server.csproj), read once: a few hundred kilobytes, answered from memory.
/// </summary>
internal sealed class WebAssets
{
    /// <summary>The page every client-side route answers.</summary>
    public const string IndexPath = "index.html";

    /// <summary>The folder of the content-hashed files, which never change under their names.</summary>
    public const string AssetsFolder = "assets";

    private const string ResourcePrefix = "web/";

    private readonly FrozenDictionary<string, WebAsset> _files;

    private WebAssets(FrozenDictionary<string, WebAsset> files) => _files = files;

    /// <summary>The files embedded in Sluice.Server.</summary>
    public static WebAssets Embedded { get; } = Load(typeof(WebAssets).Assembly);

    /// <summary>index.html, or null in a build that embedded no web app.</summary>
    public WebAsset? Index => Find(IndexPath);

    /// <summary>The file at <paramref name="path"/> (relative to the site's root), or null.</summary>
    public WebAsset? Find(string path) => _files.GetValueOrDefault(path);

    private static WebAssets Load(Assembly assembly)
    {
        var contents = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);

            // MSBuild writes the recursive part of the name with the platform's separator.
            contents[name[ResourcePrefix.Length..].Replace('\\', '/')] = copy.ToArray();
        }

        var files = contents
            .Where(c => !c.Key.EndsWith(".gz", StringComparison.Ordinal))
            .Select(c => new WebAsset(c.Key, c.Value, contents.GetValueOrDefault(c.Key + ".gz"), WebAsset.ContentTypeOf(c.Key)));
        return new WebAssets(files.ToFrozenDictionary(f => f.Path, StringComparer.Ordinal));
    }
}
