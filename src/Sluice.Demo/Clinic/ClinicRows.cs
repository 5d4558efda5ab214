namespace Sluice.Demo.Clinic;

/// <summary>A column of an exported table and its type, as a CSV source declares it.</summary>
/// <param name="Name">The column.</param>
/// <param name="Type">bigint, integer, text, date or timestamp.</param>
public sealed record ClinicColumn(string Name, string Type);

/// <summary>A patient's profile in the app: how they came, on what device, and where they live.</summary>
/// <param name="PatientId">The patient; null in the few rows an export loses it.</param>
/// <param name="SignupAt">When the patient signed up (UTC).</param>
/// <param name="TrafficSource">Where they came from; a few rows hold a value the app no longer writes.</param>
/// <param name="DeviceType">The device of their first session.</param>
/// <param name="AppVersion">The app's version then.</param>
/// <param name="City">Where they live.</param>
/// <param name="BirthYear">Their year of birth.</param>
public sealed record ClinicProfileRow(long? PatientId, DateTime SignupAt, string TrafficSource, string DeviceType, string AppVersion, string City, int BirthYear)
{
    /// <summary>The values in the order of <see cref="ClinicTables.AppProfile"/>.</summary>
    public object?[] Values() => [PatientId, SignupAt, TrafficSource, DeviceType, AppVersion, City, BirthYear];
}

/// <summary>An appointment booked in the app.</summary>
/// <param name="AppointmentId">The appointment.</param>
/// <param name="PatientId">The patient; null in the few rows an export loses it.</param>
/// <param name="DoctorName">The doctor.</param>
/// <param name="AppointmentReason">Why the patient booked.</param>
/// <param name="AppointmentStatus">What became of it; a few rows hold a status typed by hand.</param>
/// <param name="AppointmentDate">The day of the appointment; a few rows hold a placeholder far outside any real range.</param>
/// <param name="BookedAt">When it was booked (UTC).</param>
/// <param name="Notes">The front desk's note, sometimes over several lines.</param>
public sealed record ClinicAppointmentRow(long AppointmentId, long? PatientId, string DoctorName, string AppointmentReason, string AppointmentStatus, DateOnly AppointmentDate, DateTime BookedAt, string? Notes)
{
    /// <summary>The values in the order of <see cref="ClinicTables.Appointment"/>.</summary>
    public object?[] Values() => [AppointmentId, PatientId, DoctorName, AppointmentReason, AppointmentStatus, AppointmentDate, BookedAt, Notes];
}

/// <summary>An event of the booking-flow A/B test.</summary>
/// <param name="EventId">The event.</param>
/// <param name="PatientId">The patient; null in the few rows an export loses it.</param>
/// <param name="Experiment">The experiment.</param>
/// <param name="Group">Test or Control; a few rows hold another spelling.</param>
/// <param name="EventName">What the patient did.</param>
/// <param name="EventTime">When (UTC).</param>
public sealed record ClinicEventRow(long EventId, long? PatientId, string Experiment, string Group, string EventName, DateTime EventTime)
{
    /// <summary>The values in the order of <see cref="ClinicTables.AbEvent"/>.</summary>
    public object?[] Values() => [EventId, PatientId, Experiment, Group, EventName, EventTime];
}

/// <summary>The three tables the patient app exports, with the seed's names.</summary>
public static class ClinicTables
{
    /// <summary>app_profile: a row per patient.</summary>
    public static IReadOnlyList<ClinicColumn> AppProfile { get; } =
        Columns("patient_id bigint", "signup_at timestamp", "traffic_source text", "device_type text", "app_version text", "city text", "birth_year integer");

    /// <summary>appointment: a row per appointment.</summary>
    public static IReadOnlyList<ClinicColumn> Appointment { get; } =
        Columns("appointment_id bigint", "patient_id bigint", "doctor_name text", "appointment_reason text", "appointment_status text", "appointment_date date", "booked_at timestamp", "notes text");

    /// <summary>ab_event: a row per event of the A/B test.</summary>
    public static IReadOnlyList<ClinicColumn> AbEvent { get; } =
        Columns("event_id bigint", "patient_id bigint", "experiment text", "group text", "event_name text", "event_time timestamp");

    private static ClinicColumn[] Columns(params string[] columns) =>
        [.. columns.Select(c => c.Split(' ')).Select(parts => new ClinicColumn(parts[0], parts[1]))];
}
