using System.Globalization;
using Sluice.Demo.Clinic;
using Sluice.DuckDb;

namespace Sluice.Demo.Tests;

/// <summary>
/// The clinic generator: the same files for the same seed, rows that hang together as the app's
/// do, and every kind of dirt in the files in the amount the generator reports, counted again
/// here by DuckDB's own CSV reader.
/// </summary>
public sealed class ClinicGeneratorTests : IDisposable
{
    private static readonly DateOnly First = new(2026, 7, 1);
    private static readonly DateOnly Last = new(2026, 9, 29);
    private readonly string _directory = Directory.CreateTempSubdirectory("sluice-clinic-").FullName;

    [Fact]
    public async Task Equal_seeds_write_byte_identical_files_and_writing_again_writes_nothing()
    {
        await ClinicCsv.WriteAsync(Folder("a"), ClinicData.Generate(3, First, Last, ClinicScale.Small));
        await ClinicCsv.WriteAsync(Folder("b"), ClinicData.Generate(3, First, Last, ClinicScale.Small));
        await ClinicCsv.WriteAsync(Folder("other"), ClinicData.Generate(4, First, Last, ClinicScale.Small));

        var files = Files("a");
        Assert.Equal(["ab_event.csv", "app_profile.csv", "appointment_2026-07.csv", "appointment_2026-08.csv", "appointment_2026-09.csv"], files.Keys);
        Assert.Equal(files, Files("b"));
        Assert.NotEqual(files["ab_event.csv"], Files("other")["ab_event.csv"]);
        Assert.Equal(0, await ClinicCsv.WriteAsync(Folder("a"), ClinicData.Generate(3, First, Last, ClinicScale.Small)));
    }

    [Fact]
    public async Task The_files_carry_a_byte_order_mark_a_reordered_file_and_quoted_line_breaks()
    {
        var data = ClinicData.Generate(11, First, Last, ClinicScale.Default);
        await ClinicCsv.WriteAsync(_directory, data);

        var profile = await File.ReadAllBytesAsync(Path.Combine(_directory, ClinicCsv.ProfileFile));
        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, profile[..3]);
        Assert.Equal("appointment_2026-08.csv", data.Dirt.ReorderedFile);
        Assert.Equal(string.Join(',', ClinicCsv.ReorderedColumns), FirstLine("appointment_2026-08.csv"));
        Assert.Equal(string.Join(',', ClinicTables.Appointment.Select(c => c.Name)), FirstLine("appointment_2026-07.csv"));
        Assert.NotEqual(ClinicTables.Appointment.Select(c => c.Name), ClinicCsv.ReorderedColumns);
        Assert.Equal(ClinicTables.Appointment.Select(c => c.Name).Order(), ClinicCsv.ReorderedColumns.Order());

        // DuckDB reads every file back to the rows generated, the reordered one by its header.
        Assert.Equal(data.Profiles.Count, Scalar($"select count(*) from {Read(ClinicCsv.ProfileFile)}"));
        Assert.Equal(data.Appointments.Count, Scalar($"select count(*) from {Read(ClinicCsv.AppointmentPattern)}"));
        Assert.Equal(data.Events.Count, Scalar($"select count(*) from {Read(ClinicCsv.EventFile)}"));
        var booked = data.Appointments.Where(a => a.BookedAt.Month == 8).ToList();
        Assert.Equal(
            booked.Sum(a => a.AppointmentId % 1000),
            Scalar($"select cast(sum(cast(appointment_id as bigint) % 1000) as bigint) from {Read("appointment_2026-08.csv")}"));
        Assert.Equal(data.Dirt.MultilineNotes, Scalar($"select count(*) from {Read(ClinicCsv.AppointmentPattern)} where notes like '%' || chr(10) || '%'"));
        Assert.True(data.Dirt.MultilineNotes > 0);
    }

    [Fact]
    public async Task Every_kind_of_dirt_is_in_the_files_in_the_amount_reported()
    {
        var data = ClinicData.Generate(11, First, Last, ClinicScale.Default);
        await ClinicCsv.WriteAsync(_directory, data);
        var dirt = data.Dirt;

        Assert.Equal(dirt.NullPatientIds["app_profile"], Scalar($"select count(*) from {Read(ClinicCsv.ProfileFile)} where patient_id is null"));
        Assert.Equal(dirt.NullPatientIds["appointment"], Scalar($"select count(*) from {Read(ClinicCsv.AppointmentPattern)} where patient_id is null"));
        Assert.Equal(dirt.NullPatientIds["ab_event"], Scalar($"select count(*) from {Read(ClinicCsv.EventFile)} where patient_id is null"));
        Assert.Equal(dirt.UnknownTrafficSources, Scalar($"select count(*) from {Read(ClinicCsv.ProfileFile)} where traffic_source not in ({List(ClinicVocabulary.TrafficSources.Select(s => s.Item))})"));
        Assert.Equal(dirt.UnknownStatuses, Scalar($"select count(*) from {Read(ClinicCsv.AppointmentPattern)} where appointment_status not in ({List(ClinicVocabulary.Statuses)})"));
        Assert.Equal(dirt.UnknownGroups, Scalar($"select count(*) from {Read(ClinicCsv.EventFile)} where \"group\" not in ('Test', 'Control')"));
        Assert.Equal(dirt.OutOfRangeDates, Scalar($"select count(*) from {Read(ClinicCsv.AppointmentPattern)} where cast(appointment_date as date) < date '2000-01-01' or cast(appointment_date as date) > date '2090-01-01'"));
        Assert.Equal(dirt.DuplicatedEvents, Scalar($"select count(*) - count(distinct event_id) from {Read(ClinicCsv.EventFile)}"));
        Assert.Equal(0, Scalar($"select count(*) from (select distinct * from {Read(ClinicCsv.EventFile)}) as rows") - (data.Events.Count - dirt.DuplicatedEvents));

        // Each kind is there, in the shares the example's checks are set for.
        Assert.All(dirt.NullPatientIds.Values, n => Assert.True(n > 0));
        Assert.All(new[] { dirt.OutOfRangeDates, dirt.DuplicatedEvents }, n => Assert.True(n > 0));
        Assert.InRange(dirt.UnknownTrafficSources / (double)data.Profiles.Count, 0.015, 0.045);
        Assert.InRange(dirt.UnknownStatuses / (double)data.Appointments.Count, 0.055, 0.09);
        Assert.InRange(dirt.UnknownGroups / (double)data.Events.Count, 0.01, 0.03);
    }

    [Fact]
    public void Appointments_and_events_fall_in_the_days_and_belong_to_patients_with_a_profile()
    {
        var data = ClinicData.Generate(5, First, Last, ClinicScale.Small);
        var start = First.ToDateTime(TimeOnly.MinValue);
        var end = Last.AddDays(1).ToDateTime(TimeOnly.MinValue);
        var patients = Enumerable.Range(0, ClinicScale.Small.Patients).Select(i => ClinicData.FirstPatientId + i).ToHashSet();
        Assert.Equal(patients.Count - data.Dirt.NullPatientIds["app_profile"], data.Profiles.Count(p => p.PatientId is not null));
        Assert.InRange(data.Appointments.Count, 200, 2_000);
        Assert.InRange(data.Events.Count, 500, 10_000);

        Assert.Equal(data.Appointments.Count, data.Appointments.Select(a => a.AppointmentId).Distinct().Count());
        foreach (var appointment in data.Appointments)
        {
            Assert.InRange(appointment.BookedAt, start, end.AddTicks(-1));
            Assert.True(appointment.PatientId is null || patients.Contains(appointment.PatientId.Value));
            Assert.Equal(0, appointment.BookedAt.Ticks % TimeSpan.TicksPerSecond);
            var placeholder = appointment.AppointmentDate.Year is 1900 or 2099;
            Assert.True(placeholder || (appointment.AppointmentDate >= DateOnly.FromDateTime(appointment.BookedAt) && appointment.AppointmentDate <= DateOnly.FromDateTime(appointment.BookedAt).AddDays(30)));
        }

        // A patient stays in one group, but where an export misspelled it.
        var groups = data.Events.Where(e => e.PatientId is not null && ClinicVocabulary.Groups.Contains(e.Group)).GroupBy(e => e.PatientId);
        Assert.All(groups, g => Assert.Single(g.Select(e => e.Group).Distinct()));
        Assert.All(data.Events, e => Assert.InRange(e.EventTime, start, end.AddTicks(-1)));
        Assert.Equal(data.Events.Count - data.Dirt.DuplicatedEvents, data.Events.Select(e => e.EventId).Distinct().Count());
        Assert.True(data.Events.Zip(data.Events.Skip(1)).All(pair => pair.First.EventTime <= pair.Second.EventTime), "events are not in time order");
    }

    [Fact]
    public void Test_converts_better_than_Control_at_every_step_of_the_booking_funnel()
    {
        var data = ClinicData.Generate(21, First, Last, ClinicScale.Default);
        double Share(string group, string step) =>
            data.Events.Where(e => e.Group == group && e.EventName == step).Select(e => e.PatientId).Distinct().Count()
            / (double)data.Events.Where(e => e.Group == group && e.EventName == "app_open").Select(e => e.PatientId).Distinct().Count();

        foreach (var step in ClinicVocabulary.EventNames.Skip(1))
        {
            Assert.True(Share("Test", step) > Share("Control", step), $"{step}: Test {Share("Test", step):0.000}, Control {Share("Control", step):0.000}");
        }
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string Folder(string name) => Path.Combine(_directory, name);

    private SortedDictionary<string, string> Files(string name) =>
        new(Directory.GetFiles(Folder(name)).ToDictionary(f => Path.GetFileName(f), f => File.ReadAllText(f)), StringComparer.Ordinal);

    private string FirstLine(string file) => File.ReadLines(Path.Combine(_directory, file)).First();

    private string Read(string file) => $"read_csv('{Path.Combine(_directory, file)}', header = true, all_varchar = true, union_by_name = true)";

    private static string List(IEnumerable<string> values) => string.Join(", ", values.Select(v => $"'{v.Replace("'", "''", StringComparison.Ordinal)}'"));

    private static long Scalar(string sql)
    {
        using var connection = new DuckDbConnection("Data Source=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }
}
