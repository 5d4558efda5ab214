using Sluice.Core.Warehouse;

namespace Sluice.Server.Tests;

public sealed record ScoreRow(long Id, string CompanyId, string Program, string Dimension, DateTime CreatedAt, double Score, string Note);

public sealed record CompanyRow(string CompanyId, string Industry, string Region, string SizeBand);

public sealed record EventRow(string UserId, string CompanyId, string EventName, DateTime OccurredAt, string Channel);

public sealed record AppointmentRow(long Id, string CompanyId, string PatientId, string AppointmentStatus, string DoctorName, DateOnly AppointmentDate, decimal Fee, string Note);

/// <summary>
/// The rows the server tests load, made by formulas so that every test can compute what the API
/// must answer from these lists, without the warehouse. Each tenant's text columns carry its
/// marker (<c>MARK-acme-…</c>) so that a leak between tenants shows in any response.
/// </summary>
public static class AnalyticsData
{
    public static readonly string[] Tenants = ["acme", "globex", "initech", "umbrella"];
    public static readonly DateOnly Start = new(2025, 1, 1);
    private static readonly string[] Programs = ["mentoring", "language", "upskilling"];
    private static readonly string[] Dimensions = ["confidence", "belonging"];
    private static readonly string[] Statuses = ["scheduled", "completed", "cancelled"];
    private static readonly string[] Doctors = ["Dr Ames", "Dr Bell", "Dr Cruz", "Dr Diaz"];
    private static readonly string[] Channels = ["web", "mobile"];

    public static string Marker(string tenant) => $"MARK-{tenant}-7f3a";

    public static IReadOnlyList<ScoreRow> Scores { get; } = [.. Enumerable.Range(0, 2400).Select(i =>
    {
        var tenant = Tenants[i % 4];
        var created = Start.ToDateTime(TimeOnly.MinValue).AddDays(i * 37 % 75).AddMinutes(i * 13 % 1440);
        return new ScoreRow(i + 1, tenant, Programs[i * 7 % 3], Dimensions[i / 4 % 2], created, i * 7919 % 1000 / 10.0, $"{Marker(tenant)} score {i}");
    })];

    public static IReadOnlyList<CompanyRow> Companies { get; } =
    [
        new("acme", "tech", "eu", "large"),
        new("globex", "tech", "us", "small"),
        new("initech", "finance", "eu", "large"),
        new("umbrella", "tech", "eu", "large"),
    ];

    // Each user enrols; two in three match a few days later; half of those complete, some
    // within the 30-day window and some after it; every seventh completes before matching too.
    public static IReadOnlyList<EventRow> Events { get; } = [.. Enumerable.Range(0, 300).SelectMany(u =>
    {
        var tenant = Tenants[u % 4];
        var user = $"u{u:D3}-{Marker(tenant)}";
        var channel = Channels[u % 2 == 0 ? 0 : u / 2 % 2];
        var enrolled = Start.ToDateTime(TimeOnly.MinValue).AddDays(u % 50).AddHours(u % 24);
        var events = new List<EventRow> { new(user, tenant, "enrolled", enrolled, channel) };
        if (u % 5 == 1)
        {
            events.Add(new(user, tenant, "enrolled", enrolled.AddDays(3), channel));
        }

        if (u % 7 == 0)
        {
            events.Add(new(user, tenant, "completed", enrolled.AddHours(-5), channel));
        }

        if (u % 3 != 0)
        {
            var matched = enrolled.AddDays(u % 5).AddMinutes(u);
            events.Add(new(user, tenant, "matched", matched, channel));
            if (u % 2 == 0)
            {
                events.Add(new(user, tenant, "completed", matched.AddDays(u % 40), channel));
            }
        }

        return events;
    })];

    public static IReadOnlyList<AppointmentRow> Appointments { get; } = [.. Enumerable.Range(1, 500).Select(i =>
    {
        var tenant = Tenants[i % 4];
        return new AppointmentRow(i, tenant, $"p{i % 50:D2}", Statuses[i % 3], Doctors[i / 4 % 4], Start.AddDays(i % 90), 40m + i % 7 * 2.5m, $"{Marker(tenant)} visit {i}");
    })];

    /// <summary>Creates schema raw and its four tables, and loads the rows.</summary>
    public static async Task LoadAsync(IWarehouseSession session)
    {
        await session.CreateSchemaAsync("raw");
        await LoadAsync(session, "scores", [("id", ColumnType.BigInt), ("company_id", ColumnType.Text), ("program", ColumnType.Text), ("dimension", ColumnType.Text), ("created_at", ColumnType.Timestamp), ("score", ColumnType.Double), ("note", ColumnType.Text)],
            Scores.Select(s => new object?[] { s.Id, s.CompanyId, s.Program, s.Dimension, s.CreatedAt, s.Score, s.Note }));
        await LoadAsync(session, "companies", [("company_id", ColumnType.Text), ("industry", ColumnType.Text), ("region", ColumnType.Text), ("size_band", ColumnType.Text)],
            Companies.Select(c => new object?[] { c.CompanyId, c.Industry, c.Region, c.SizeBand }));
        await LoadAsync(session, "events", [("user_id", ColumnType.Text), ("company_id", ColumnType.Text), ("event_name", ColumnType.Text), ("occurred_at", ColumnType.TimestampTz), ("channel", ColumnType.Text)],
            Events.Select(e => new object?[] { e.UserId, e.CompanyId, e.EventName, DateTime.SpecifyKind(e.OccurredAt, DateTimeKind.Utc), e.Channel }));
        await LoadAsync(session, "appointments", [("id", ColumnType.BigInt), ("company_id", ColumnType.Text), ("patient_id", ColumnType.Text), ("appointment_status", ColumnType.Text), ("doctor_name", ColumnType.Text), ("appointment_date", ColumnType.Date), ("fee", ColumnType.Decimal(10, 2)), ("note", ColumnType.Text)],
            Appointments.Select(a => new object?[] { a.Id, a.CompanyId, a.PatientId, a.AppointmentStatus, a.DoctorName, a.AppointmentDate, a.Fee, a.Note }));
    }

    private static async Task LoadAsync(IWarehouseSession session, string name, (string Name, ColumnType Type)[] columns, IEnumerable<object?[]> rows)
    {
        var table = new TableName("raw", name);
        await session.CreateTableAsync(table, [.. columns.Select(c => new ColumnSpec(c.Name, c.Type))]);
        await session.BulkLoadAsync(table, [.. columns.Select(c => c.Name)], rows.ToAsyncEnumerable());
    }
}
