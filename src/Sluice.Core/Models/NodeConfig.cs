using Sluice.Core.Project;
using Sluice.Core.Templating;

namespace Sluice.Core.Models;

/// <summary>A config value and where it was set (<c>dbt_project.yml:12:7</c>), for errors about it.</summary>
/// <param name="Value">The value, as a template value (string, long, double, bool, list, mapping or null).</param>
/// <param name="Origin">The file and position that set it.</param>
public sealed record ConfigEntry(object? Value, string Origin);

/// <summary>
/// The configs of one model, seed or snapshot as they are gathered, least specific first:
/// the project file's folder levels, then the property files (schema.yml), then the model's own
/// <c>config()</c> call. A later value replaces an earlier one, except for the keys dbt adds up
/// across levels: <c>tags</c> and the hooks collect every level's entries, <c>meta</c> merges.
/// </summary>
public sealed class NodeConfig
{
    private static readonly HashSet<string> Additive = ["tags", "pre_hook", "post_hook"];
    private readonly Dictionary<string, ConfigEntry> _entries = new(StringComparer.Ordinal);

    /// <summary>The configs set, by normalized key.</summary>
    public IReadOnlyDictionary<string, ConfigEntry> Entries => _entries;

    /// <summary>
    /// A key as dbt compares them: without a leading '+', and with '-' as '_'
    /// (<c>+pre-hook</c> and <c>pre_hook</c> are one key).
    /// </summary>
    public static string NormalizeKey(string key) => key.TrimStart('+').Replace('-', '_');

    /// <summary>Sets <paramref name="key"/> at a more specific level than what is there.</summary>
    public void Set(string key, object? value, string origin)
    {
        key = NormalizeKey(key);
        if (Additive.Contains(key) && _entries.TryGetValue(key, out var earlier))
        {
            var combined = AsList(earlier.Value).Concat(AsList(value)).Distinct(TemplateValueComparer.Instance).ToList();
            _entries[key] = new ConfigEntry(combined, origin);
            return;
        }

        if (key == "meta" && value is IReadOnlyDictionary<string, object?> meta && _entries.TryGetValue(key, out var earlierMeta)
            && earlierMeta.Value is IReadOnlyDictionary<string, object?> before)
        {
            var merged = before.ToDictionary(StringComparer.Ordinal);
            foreach (var (k, v) in meta)
            {
                merged[k] = v;
            }

            _entries[key] = new ConfigEntry(merged, origin);
            return;
        }

        _entries[key] = new ConfigEntry(Additive.Contains(key) ? AsList(value) : value, origin);
    }

    /// <summary>Replaces the value of <paramref name="key"/>, keeping where it was set (a rendered Jinja value).</summary>
    public void Replace(string key, object? value) => _entries[key] = _entries[key] with { Value = value };

    /// <summary>The entry for <paramref name="key"/>, or null.</summary>
    public ConfigEntry? Get(string key) => _entries.GetValueOrDefault(key);

    /// <summary>A copy to which a more specific level can be added without changing this one.</summary>
    public NodeConfig Copy()
    {
        var copy = new NodeConfig();
        foreach (var (key, entry) in _entries)
        {
            copy._entries[key] = entry;
        }

        return copy;
    }

    /// <summary>An error about the value of <paramref name="key"/>, located where it was set.</summary>
    public ConfigurationException Error(string key, string reason) =>
        new($"{_entries[key].Origin}: config '{key}' {reason}");

    private static List<object?> AsList(object? value) => value switch
    {
        null => [],
        string text => [text],
        IReadOnlyList<object?> list => [.. list],
        var other => [other],
    };

    private sealed class TemplateValueComparer : IEqualityComparer<object?>
    {
        public static readonly TemplateValueComparer Instance = new();

        public new bool Equals(object? x, object? y) => TemplateValues.AreEqual(x, y);

        public int GetHashCode(object? obj) => TemplateValues.Render(obj).GetHashCode(StringComparison.Ordinal);
    }
}
