using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Sluice.Demo;
using Sluice.Demo.Teei;

namespace Sluice.Bench;

/// <summary>A tenant's API key and its company.</summary>
internal sealed record TenantKey(string Key, Guid Company);

/// <summary>
/// The TEEI example as <c>sluice demo teei</c> writes it (CSV sources), with the demo's generated
/// data at the benchmark's size, synced and built, and sluice.yml changed for the load only where
/// it must be: API keys for an admin and eight companies; budgets, per-key rates and the health
/// limit raised so that none of them refuses a request of the run; no schedules or alerts, whose
/// jobs would rebuild data (and so change the cache's data version) in the middle of a measurement.
/// </summary>
internal sealed partial class TeeiLoadProject
{
    public const string AdminKey = "teei-bench-admin-key-0123456789";
    public const int Tenants = 8;

    // The example's own lines that the benchmark's copy replaces; a changed example stops here
    // rather than being measured with the example's limits.
    private const string ExampleBudget = "  budget: {daily: 10000, monthly: 250000}\n";

    private TeeiLoadProject(string directory, DateOnly first, DateOnly last, IReadOnlyList<TenantKey> tenants, IReadOnlyList<TeeiCompanyRow> companies, long scores, long enrollments)
    {
        (Directory, First, Last, TenantKeys, Companies, Scores, Enrollments) = (directory, first, last, tenants, companies, scores, enrollments);
    }

    public string Directory { get; }

    public DateOnly First { get; }

    public DateOnly Last { get; }

    /// <summary>The keys of the eight companies with the most scores.</summary>
    public IReadOnlyList<TenantKey> TenantKeys { get; }

    /// <summary>The companies with scores, in id order.</summary>
    public IReadOnlyList<TeeiCompanyRow> Companies { get; }

    public long Scores { get; }

    public long Enrollments { get; }

    /// <summary>The limits the benchmark's copy sets in place of the example's, for the report.</summary>
    public const string RaisedLimits = "`budget: {daily: 1000000000, monthly: 1000000000}` (the example: 10,000 a day, 250,000 a month), `rate: {per_second: 1000000, burst: 1000000}` per key (default 50/s) and `health_per_minute: 1000000` (default 30)";

    /// <summary>Generates the data, writes the project with <paramref name="deploy"/>'s warehouse and cache, and returns it unbuilt.</summary>
    public static async Task<TeeiLoadProject> WriteAsync(string directory, TeeiBenchOptions options, Func<string, string> deploy)
    {
        var last = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-1);
        var first = last.AddDays(1 - options.Days);
        var state = TeeiState.Build(options.Seed, first, last, new TeeiScale(options.Companies, TeeiScale.Default.UsersPerCompany, TeeiScale.Default.NewCompanyChance));
        var companies = state.Rows<TeeiCompanyRow>(TeeiTables.Companies).ToDictionary(c => c.Id);
        var byScores = state.Rows<TeeiScoreRow>(TeeiTables.Scores).GroupBy(s => s.CompanyId).OrderByDescending(g => g.Count()).ThenBy(g => g.Key).Select(g => g.Key).ToList();
        if (byScores.Count < Tenants + 2)
        {
            throw new InvalidOperationException($"Only {byScores.Count} companies have scores in {options.Days} day(s); the benchmark needs {Tenants + 2}. Give more --days or --companies.");
        }

        var tenants = byScores.Take(Tenants).Select((company, i) => new TenantKey($"teei-bench-tenant-{i}-0123456789", company)).ToList();

        TeeiProject.Example.Write(directory, csv: true);
        await TeeiCsv.WriteAsync(Path.Combine(directory, ExampleProject.DataFolder), state);
        File.Delete(Path.Combine(directory, "alerts.yml"));
        var yml = Path.Combine(directory, "sluice.yml");
        var text = await File.ReadAllTextAsync(yml);
        if (!text.Contains(ExampleBudget, StringComparison.Ordinal) || !SchedulesSection().IsMatch(text))
        {
            throw new InvalidOperationException($"examples/teei/sluice.yml no longer has `{ExampleBudget.Trim()}` under serve: and a schedules: section; update TeeiLoadProject to match it.");
        }

        var keys = new StringBuilder();
        keys.Append("  budget: {daily: 1000000000, monthly: 1000000000}\n");
        keys.Append("  rate: {per_second: 1000000, burst: 1000000}\n");
        keys.Append("  health_per_minute: 1000000\n");
        keys.Append("  api_keys:\n");
        keys.Append($"    - {{name: ops, sha256: {Hash(AdminKey)}, admin: true}}\n");
        foreach (var (tenant, i) in tenants.Select((t, i) => (t, i)))
        {
            keys.Append($"    - {{name: tenant-{i}, sha256: {Hash(tenant.Key)}, tenant: \"{tenant.Company}\"}}\n");
        }

        text = SchedulesSection().Replace(text, string.Empty).Replace(ExampleBudget, keys.ToString(), StringComparison.Ordinal);
        await File.WriteAllTextAsync(yml, deploy(text));
        var withScores = byScores.Order().Select(id => companies[id]).ToList();
        return new TeeiLoadProject(directory, first, last, tenants, withScores, state.Rows(TeeiTables.Scores).Count, state.Rows(TeeiTables.Enrollments).Count);
    }

    /// <summary><c>sluice sync</c>, then <c>sluice build</c> of every generated day.</summary>
    public async Task BuildAsync(string sluiceDll)
    {
        await RunAsync(sluiceDll, "sync");
        await RunAsync(sluiceDll, "build", "--from", Day(First), "--to", Day(Last));
    }

    public static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private async Task RunAsync(string sluiceDll, params string[] arguments)
    {
        var (elapsed, _) = await SluiceCommand.RunAsync(sluiceDll, ["--project-dir", Directory, .. arguments]);
        Console.WriteLine($"  sluice {string.Join(' ', arguments)}: {Format.Seconds(elapsed)}");
    }

    private static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    // From `schedules:` to the next top-level key or comment.
    [GeneratedRegex(@"^schedules:\n(^([ \t][^\n]*)?\n)*", RegexOptions.Multiline)]
    private static partial Regex SchedulesSection();
}
