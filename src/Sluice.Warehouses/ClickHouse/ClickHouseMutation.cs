using System.Text.RegularExpressions;

namespace Sluice.Warehouses.ClickHouse;

/// <summary>
/// ClickHouse changes rows in place only through mutations (<c>ALTER TABLE t UPDATE … WHERE …</c>,
/// <c>ALTER TABLE t DELETE WHERE …</c>), which the server applies in the background. The
/// adapter turns the plain <c>update … set … where …</c> and <c>delete from … where …</c>
/// statements Sluice's state keeping uses into mutations and waits for them to finish, so that
/// they read like the statements they replace.
/// </summary>
internal sealed partial record ClickHouseMutation(string Table, string Command, string Condition)
{
    /// <summary>The mutation a statement stands for, or null when it is no plain update or delete.</summary>
    public static ClickHouseMutation? Parse(string statement)
    {
        statement = LeadingComments().Replace(statement, string.Empty);
        var update = Update().Match(statement);
        if (update.Success)
        {
            var (assignments, condition) = SplitWhere(update.Groups["rest"].Value);
            return new ClickHouseMutation(update.Groups["table"].Value, $"update {assignments}", condition);
        }

        var delete = Delete().Match(statement);
        if (delete.Success)
        {
            var condition = delete.Groups["where"].Success ? delete.Groups["where"].Value : "1";
            return new ClickHouseMutation(delete.Groups["table"].Value, "delete", condition);
        }

        return null;
    }

    /// <summary>
    /// The ALTER statement that runs the mutation. A condition that may be NULL is read as false:
    /// 18.16 fails a mutation that sets a non-Nullable column under a Nullable condition, and a
    /// failed mutation blocks the ones after it.
    /// </summary>
    public string AlterSql => $"alter table {Table} {Command} where {Where}";

    /// <summary>The condition as the mutation runs it, NULL read as false.</summary>
    public string Where => $"ifNull(({Condition}), 0)";

    /// <summary>A count of the rows the mutation changes, taken before it runs.</summary>
    public string CountSql => $"select count() from {Table} where {Where}";

    /// <summary>The database and table, unquoted; the database is null when the statement named none.</summary>
    public (string? Database, string Table) Names()
    {
        var parts = NamePart().Matches(Table).Select(m => m.Groups["quoted"].Success ? m.Groups["quoted"].Value : m.Groups["bare"].Value).ToList();
        return parts.Count == 2 ? (parts[0], parts[1]) : (null, parts[^1]);
    }

    // The first WHERE outside parentheses, quotes and comments splits the assignments from the
    // condition; a subquery in an assignment carries its own inside parentheses.
    private static (string Assignments, string Condition) SplitWhere(string rest)
    {
        var split = ClickHouseSql.TopLevelWord(rest, "where");
        return split < 0 ? (rest.Trim(), "1") : (rest[..split].Trim(), rest[(split + "where".Length)..].Trim());
    }

    [GeneratedRegex(@"^\s*update\s+(?<table>(?:""[^""]+""|\w+)(?:\.(?:""[^""]+""|\w+))?)\s+set\s+(?<rest>.+)$", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex Update();

    [GeneratedRegex(@"^\s*delete\s+from\s+(?<table>(?:""[^""]+""|\w+)(?:\.(?:""[^""]+""|\w+))?)\s*(?:where\s+(?<where>.+))?$", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex Delete();

    [GeneratedRegex(@"^(\s*(--[^\n]*(\n|$)|/\*.*?\*/))*\s*", RegexOptions.Singleline)]
    private static partial Regex LeadingComments();

    [GeneratedRegex(@"""(?<quoted>[^""]+)""|(?<bare>\w+)")]
    private static partial Regex NamePart();
}
