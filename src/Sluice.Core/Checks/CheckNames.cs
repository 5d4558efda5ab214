using System.Security.Cryptography;
using System.Text;
using Sluice.Core.Project;
using Sluice.Core.Warehouse;
using YamlDotNet.RepresentationModel;

namespace Sluice.Core.Checks;

/// <summary>
/// Names checks as dbt does — <c>not_null_orders_id</c>, <c>source_unique_app_users_id</c> —
/// with a number after a name that is taken, and a hash in place of the tail of a name too long
/// to be a table name (the failures of a check are stored under its name).
/// </summary>
internal static class CheckNames
{
    public static IReadOnlyList<CheckDefinition> Assign(IEnumerable<(CheckDefinition Check, string? GivenName, YamlNode? At)> checks)
    {
        var ordered = checks.OrderBy(c => c.Check.File, StringComparer.Ordinal).ThenBy(c => c.Check.Line).ToList();
        var taken = new Dictionary<string, CheckDefinition>(StringComparer.Ordinal);
        var result = new List<CheckDefinition>();
        // Given names first, so that a generated name never takes one a user chose.
        foreach (var (check, given, _) in ordered.Where(c => c.GivenName is not null))
        {
            if (!Identifier.IsValid(given!))
            {
                throw new ConfigurationException($"{check.Location}: '{given}' is not a valid check name; use letters, digits and underscores, starting with a letter, at most {Identifier.MaxLength} characters.");
            }

            if (taken.TryGetValue(given!, out var other))
            {
                throw new ConfigurationException($"{check.Location}: the check name '{given}' is already used at {other.Location}; check names must be unique.");
            }

            taken[given!] = check;
        }

        foreach (var (check, given, _) in ordered)
        {
            var name = given ?? Unique(Generate(check), taken);
            taken[name] = check;
            result.Add(check with { Name = name });
        }

        return result;
    }

    private static string Generate(CheckDefinition check)
    {
        var target = check.Target!;
        // A package's test is named with the package first, as dbt does: dbt_utils_at_least_one_orders_id.
        var dot = check.Type.IndexOf('.', StringComparison.Ordinal);
        var (space, type) = dot > 0 ? (check.Type[..dot], check.Type[(dot + 1)..]) : (null, check.Type);
        var parts = target.IsSource
            ? new[] { space, "source", type, target.Source!, target.Table! }
            : [space, type, target.Model!];
        var name = string.Join("_", parts.Append(check.Column).OfType<string>());
        return Fit(new string([.. name.Select(c => char.IsAsciiLetterOrDigit(c) || c == '_' ? c : '_')]), reserve: 3);
    }

    private static string Unique(string name, Dictionary<string, CheckDefinition> taken)
    {
        if (!taken.ContainsKey(name))
        {
            return name;
        }

        for (var n = 2; ; n++)
        {
            var candidate = $"{name}_{n}";
            if (!taken.ContainsKey(candidate))
            {
                return candidate;
            }
        }
    }

    // Long names keep their start and end in a hash, leaving room for a "_n" suffix.
    private static string Fit(string name, int reserve)
    {
        var limit = Identifier.MaxLength - reserve;
        if (name.Length <= limit)
        {
            return name;
        }

        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(name)))[..8];
        return $"{name[..(limit - 9)]}_{hash}";
    }
}
