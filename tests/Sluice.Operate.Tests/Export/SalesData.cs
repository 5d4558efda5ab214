using System.Globalization;
using System.Text;

namespace Sluice.Operate.Tests.Export;

/// <summary>One sale of the test's source data.</summary>
public sealed record Sale(int Id, DateTime SoldAt, string Tenant, decimal Amount, string Note);

/// <summary>
/// The source rows the export tests' models read, made in C# so that the expected exports are
/// computed here, from these rows, and never from what the models or the warehouse computed.
/// Ten days of sales for four tenants, one of whose names holds the id's separator and escape.
/// </summary>
public static class SalesData
{
    public static readonly DateOnly FirstDay = new(2025, 1, 1);

    public const int Days = 10;

    public static IReadOnlyList<string> Tenants { get; } = ["acme", "beta", "d|x\\y", "gamma"];

    public static IReadOnlyList<Sale> Sales { get; } = [.. Enumerable.Range(0, 600).Select(i => new Sale(
        i + 1,
        FirstDay.AddDays(i % Days).ToDateTime(TimeOnly.MinValue).AddMinutes(i * 37 % 1440),
        Tenants[i * 7 % Tenants.Count],
        i * 7919 % 100000 / 100m,
        $"note {i}, \"quoted\" ü"))];

    /// <summary>The seed file: a header and one line per sale.</summary>
    public static string Csv()
    {
        var csv = new StringBuilder("id,sold_at,tenant,amount,note\n");
        foreach (var sale in Sales)
        {
            csv.Append(CultureInfo.InvariantCulture, $"{sale.Id},{sale.SoldAt:yyyy-MM-dd HH:mm:ss},{sale.Tenant},{sale.Amount:0.00},\"{sale.Note.Replace("\"", "\"\"", StringComparison.Ordinal)}\"\n");
        }

        return csv.ToString();
    }

    /// <summary>What daily_sales should hold for a day and tenant, in key order.</summary>
    public static IReadOnlyList<DailySales> Daily(DateOnly? from = null, DateOnly? to = null) =>
        [.. Sales
            .GroupBy(s => (Day: DateOnly.FromDateTime(s.SoldAt), s.Tenant))
            .Where(g => (from is null || g.Key.Day >= from) && (to is null || g.Key.Day <= to))
            .Select(g => new DailySales(g.Key.Day, g.Key.Tenant, g.Count(), g.Sum(s => s.Amount), g.Max(s => s.SoldAt)))
            .OrderBy(d => d.Day)
            .ThenBy(d => d.Tenant, StringComparer.Ordinal)];
}

/// <summary>A row of daily_sales, as computed from the source rows.</summary>
public sealed record DailySales(DateOnly Day, string Tenant, long Orders, decimal Revenue, DateTime LastSaleAt)
{
    /// <summary>The _id the export should give the row: day and tenant, with '|' and '\' escaped.</summary>
    public string Id => $"{Day:yyyy-MM-dd}|{Tenant.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("|", "\\|", StringComparison.Ordinal)}";
}
