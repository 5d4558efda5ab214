using Sluice.Demo;

namespace Sluice.Web.Tests.Served;

public sealed record OrderRow(long Id, string Tenant, string Account, DateTime OrderedAt, string Region, string Plan, double Amount, string Note);

public sealed record AccountRow(string Account, string Tenant, string Industry);

public sealed record EventRow(long Id, string UserId, string Tenant, string EventName, DateTime OccurredAt, string Channel);

/// <summary>
/// The shop's rows (Projects/panels), made by formulas so that a test can compute a figure
/// without the warehouse. Each tenant has its own regions and account names, so that another
/// tenant's data shows in any panel grouped by them.
/// </summary>
public static class PanelsData
{
    public static readonly string[] Tenants = ["acme", "globex"];
    public static readonly DateOnly First = new(2025, 1, 1);
    public static readonly DateOnly Last = new(2025, 3, 31);
    private static readonly string[] Plans = ["basic", "pro", "team"];
    private static readonly string[] Channels = ["web", "mobile"];

    /// <summary>The regions of a tenant: no two tenants share one.</summary>
    public static string[] Regions(string tenant) => tenant == "acme" ? ["north", "south"] : ["east", "west"];

    public static IReadOnlyList<OrderRow> Orders { get; } = [.. Enumerable.Range(0, 1200).Select(i =>
    {
        var tenant = Tenants[i % 2];
        var at = First.ToDateTime(TimeOnly.MinValue).AddDays(i * 7 % 90).AddMinutes(i * 37 % 1440);
        return new OrderRow(i + 1, tenant, $"{tenant}-{i / 2 % 7 + 1:D2}", at, Regions(tenant)[i / 3 % 2], Plans[i * 5 % 3], 10 + (i * 7919 % 500 / 10.0), $"order {i} of {tenant}");
    })];

    public static IReadOnlyList<AccountRow> Accounts { get; } = [.. Tenants.SelectMany(t => Enumerable.Range(1, 7).Select(a => new AccountRow($"{t}-{a:D2}", t, t == "acme" ? "retail" : "software")))];

    // Every user visits; three in five sign up a day later; three in ten buy two days after the visit.
    public static IReadOnlyList<EventRow> Events { get; } = [.. Enumerable.Range(0, 200).SelectMany(u =>
    {
        var tenant = Tenants[u % 2];
        var user = $"{tenant}-user-{u:D3}";
        var visit = First.ToDateTime(TimeOnly.MinValue).AddDays(u % 80).AddHours(u % 24);
        var channel = Channels[u / 2 % 2];
        var events = new List<EventRow> { new(u * 10L, user, tenant, "visit", visit, channel) };
        if (u % 5 < 3)
        {
            events.Add(new(u * 10L + 1, user, tenant, "signup", visit.AddDays(1), channel));
        }

        if (u % 10 < 3)
        {
            events.Add(new(u * 10L + 2, user, tenant, "purchase", visit.AddDays(2), channel));
        }

        return events;
    })];

    /// <summary>Writes the three CSV files the project's sources read into <paramref name="directory"/>.</summary>
    public static void WriteCsv(string directory)
    {
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "orders.csv"), CsvText.Write(
            ["id", "tenant", "account", "ordered_at", "region", "plan", "amount", "note"],
            Orders.Select(o => (IReadOnlyList<object?>)[o.Id, o.Tenant, o.Account, o.OrderedAt, o.Region, o.Plan, o.Amount, o.Note])));
        File.WriteAllText(Path.Combine(directory, "accounts.csv"), CsvText.Write(
            ["account", "tenant", "industry"],
            Accounts.Select(a => (IReadOnlyList<object?>)[a.Account, a.Tenant, a.Industry])));
        File.WriteAllText(Path.Combine(directory, "events.csv"), CsvText.Write(
            ["id", "user_id", "tenant", "event_name", "occurred_at", "channel"],
            Events.Select(e => (IReadOnlyList<object?>)[e.Id, e.UserId, e.Tenant, e.EventName, e.OccurredAt, e.Channel])));
    }
}
