namespace Sluice.Demo.Clinic;

/// <summary>How much the clinic generator makes.</summary>
/// <param name="Patients">Patients with a profile.</param>
public sealed record ClinicScale(int Patients)
{
    /// <summary>The demo's size: a few thousand patients, tens of thousands of events.</summary>
    public static ClinicScale Default { get; } = new(2_000);

    /// <summary>A size for tests.</summary>
    public static ClinicScale Small { get; } = new(300);
}

/// <summary>
/// The dirty rows the generator put in, by kind, counted as they were made: what each check of
/// the example is meant to catch, and how many rows it must find.
/// </summary>
/// <param name="NullPatientIds">Rows whose patient_id is empty, per table (app_profile, appointment, ab_event).</param>
/// <param name="UnknownTrafficSources">Profiles whose traffic_source is not one the app writes.</param>
/// <param name="UnknownStatuses">Appointments whose status is not one the app writes.</param>
/// <param name="UnknownGroups">Events whose group is neither Test nor Control.</param>
/// <param name="OutOfRangeDates">Appointments dated 1900-01-01 or 2099-12-31, placeholders of the booking desk.</param>
/// <param name="DuplicatedEvents">Events written twice, the copy right after the row.</param>
/// <param name="ReorderedFile">The appointment file whose columns are in another order.</param>
/// <param name="MultilineNotes">Appointments whose note spans lines (quoted in the file).</param>
public sealed record ClinicDirt(
    IReadOnlyDictionary<string, int> NullPatientIds,
    int UnknownTrafficSources,
    int UnknownStatuses,
    int UnknownGroups,
    int OutOfRangeDates,
    int DuplicatedEvents,
    string ReorderedFile,
    int MultilineNotes);

/// <summary>
/// The clinic's patient-app exports over [<see cref="First"/>, <see cref="Last"/>]: profiles,
/// appointments booked in those days, and the booking-flow A/B test's events — with the dirt real
/// exports carry, in known amounts (<see cref="Dirt"/>). The same seed gives the same rows.
/// </summary>
public sealed class ClinicData
{
    /// <summary>The first patient's id.</summary>
    public const long FirstPatientId = 100_001;

    // The shares of dirty rows. Unknown statuses are made to pass a check's `mostly: 0.95` less
    // often than they fail it, unknown sources and groups to pass it: the example's checks show both.
    private const double NullProfileId = 0.005;
    private const double NullAppointmentPatient = 0.01;
    private const double NullEventPatient = 0.008;
    private const double UnknownSource = 0.03;
    private const double UnknownStatus = 0.07;
    private const double UnknownGroup = 0.02;
    private const double PlaceholderDate = 0.006;
    private const double DuplicateEvent = 0.005;
    private const double NoteShare = 0.3;

    private static readonly DateOnly TooEarly = new(1900, 1, 1);
    private static readonly DateOnly TooLate = new(2099, 12, 31);

    private ClinicData(DateOnly first, DateOnly last, List<ClinicProfileRow> profiles, List<ClinicAppointmentRow> appointments, List<ClinicEventRow> events, ClinicDirt dirt)
    {
        (First, Last, Profiles, Appointments, Events, Dirt) = (first, last, profiles, appointments, events, dirt);
    }

    /// <summary>The first day of appointments and events.</summary>
    public DateOnly First { get; }

    /// <summary>The last day of appointments and events.</summary>
    public DateOnly Last { get; }

    /// <summary>Every profile, in patient order (rows without an id where their patient's would be).</summary>
    public IReadOnlyList<ClinicProfileRow> Profiles { get; }

    /// <summary>Every appointment, in booking order.</summary>
    public IReadOnlyList<ClinicAppointmentRow> Appointments { get; }

    /// <summary>Every event as exported, in time order, duplicates included.</summary>
    public IReadOnlyList<ClinicEventRow> Events { get; }

    /// <summary>The dirty rows, by kind.</summary>
    public ClinicDirt Dirt { get; }

    /// <summary>The days every appointment was booked on and every event happened on: <see cref="First"/> to <see cref="Last"/>.</summary>
    public int Days => Last.DayNumber - First.DayNumber + 1;

    /// <summary>Generates the exports of <paramref name="scale"/>'s patients over [<paramref name="first"/>, <paramref name="last"/>].</summary>
    public static ClinicData Generate(long seed, DateOnly first, DateOnly last, ClinicScale scale)
    {
        if (last < first)
        {
            throw new ArgumentException($"The last day {last:yyyy-MM-dd} is before the first {first:yyyy-MM-dd}.", nameof(last));
        }

        var start = first.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        var end = last.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        var nulls = new Dictionary<string, int>(StringComparer.Ordinal) { ["app_profile"] = 0, ["appointment"] = 0, ["ab_event"] = 0 };
        var (unknownSources, unknownStatuses, unknownGroups, placeholders, duplicates, multiline) = (0, 0, 0, 0, 0, 0);

        // Profiles: patients signed up over the year before the first day and during the days.
        var profiles = new List<ClinicProfileRow>(scale.Patients);
        for (var i = 0; i < scale.Patients; i++)
        {
            var random = DemoRandom.For(seed, 1, i);
            var signup = Second(start.AddDays(-365) + ((end - start.AddDays(-365)) * random.NextDouble()));
            var source = random.Pick(ClinicVocabulary.TrafficSources);
            if (random.Chance(UnknownSource))
            {
                source = random.Pick(ClinicVocabulary.UnknownTrafficSources);
                unknownSources++;
            }

            long? id = FirstPatientId + i;
            if (random.Chance(NullProfileId))
            {
                id = null;
                nulls["app_profile"]++;
            }

            profiles.Add(new ClinicProfileRow(id, signup, source, random.Pick(ClinicVocabulary.Devices), random.Pick(ClinicVocabulary.AppVersions), random.Pick(ClinicVocabulary.Cities), random.Next(1940, 2011)));
        }

        // Appointments of patients with a profile (an export without the id still had one),
        // booked in the days, each for a day up to a month ahead.
        var appointments = new List<(DateTime BookedAt, int Patient, int Number, ClinicAppointmentRow Row)>();
        for (var i = 0; i < scale.Patients; i++)
        {
            var random = DemoRandom.For(seed, 2, i);
            var from = profiles[i].SignupAt > start ? profiles[i].SignupAt : start;
            if (from >= end)
            {
                continue;
            }

            var count = random.Pick<int>([(0, 2), (1, 4), (2, 3), (3, 2), (4, 1), (6, 0.5)]);
            for (var n = 0; n < count; n++)
            {
                var booked = Second(from + ((end - from) * random.NextDouble()));
                var day = DateOnly.FromDateTime(booked).AddDays(random.Next(0, 31));
                var status = day > last
                    ? random.Pick<string>([("scheduled", 85), ("cancelled", 10), ("rescheduled", 5)])
                    : random.Pick<string>([("completed", 70), ("cancelled", 12), ("no_show", 10), ("rescheduled", 8)]);
                if (random.Chance(UnknownStatus))
                {
                    status = random.Pick(ClinicVocabulary.UnknownStatuses);
                    unknownStatuses++;
                }

                if (random.Chance(PlaceholderDate))
                {
                    day = random.Chance(0.5) ? TooEarly : TooLate;
                    placeholders++;
                }

                long? patient = FirstPatientId + i;
                if (random.Chance(NullAppointmentPatient))
                {
                    patient = null;
                    nulls["appointment"]++;
                }

                var note = random.Chance(NoteShare) ? random.Pick(ClinicVocabulary.Notes) : null;
                multiline += note?.Contains('\n', StringComparison.Ordinal) == true ? 1 : 0;
                appointments.Add((booked, i, n, new ClinicAppointmentRow(0, patient, random.Pick(ClinicVocabulary.Doctors), random.Pick(ClinicVocabulary.Reasons), status, day, booked, note)));
            }
        }

        var ordered = appointments.OrderBy(a => a.BookedAt).ThenBy(a => a.Patient).ThenBy(a => a.Number)
            .Select((a, index) => a.Row with { AppointmentId = 500_001 + index })
            .ToList();

        // The A/B test: a patient is in one group and goes some way down the booking funnel in
        // each of a few sessions; Test's new flow loses fewer patients at each step.
        var events = new List<(DateTime At, int Patient, int Number, ClinicEventRow Row)>();
        for (var i = 0; i < scale.Patients; i++)
        {
            var random = DemoRandom.For(seed, 3, i);
            var from = profiles[i].SignupAt > start ? profiles[i].SignupAt : start;
            if (from >= end || !random.Chance(0.8))
            {
                continue;
            }

            var group = random.Chance(0.5) ? "Test" : "Control";
            var onward = group == "Test" ? 0.72 : 0.6;
            var number = 0;
            for (var session = random.Next(1, 5); session > 0; session--)
            {
                var at = Second(from + ((end - from) * random.NextDouble()));
                for (var step = 0; step < ClinicVocabulary.EventNames.Count && at < end; step++)
                {
                    if (step > 0 && !random.Chance(onward))
                    {
                        break;
                    }

                    events.Add((at, i, number++, Event(random, i, group, ClinicVocabulary.EventNames[step], at, ref unknownGroups, nulls)));
                    at = at.AddSeconds(random.Next(5, 240));
                }

                if (random.Chance(0.1) && at < end)
                {
                    events.Add((at, i, number++, Event(random, i, group, random.Pick(ClinicVocabulary.OtherEvents), at, ref unknownGroups, nulls)));
                }
            }
        }

        var exported = new List<ClinicEventRow>(events.Count + (events.Count / 100));
        foreach (var (row, index) in events.OrderBy(e => e.At).ThenBy(e => e.Patient).ThenBy(e => e.Number).Select((e, index) => (e.Row, index)))
        {
            var numbered = row with { EventId = 900_001 + index };
            exported.Add(numbered);
            if (DemoRandom.For(seed, 4, index).Chance(DuplicateEvent))
            {
                // The copy is a row of the file like any other: its dirt counts again.
                exported.Add(numbered);
                duplicates++;
                unknownGroups += ClinicVocabulary.Groups.Contains(numbered.Group) ? 0 : 1;
                nulls["ab_event"] += numbered.PatientId is null ? 1 : 0;
            }
        }

        var dirt = new ClinicDirt(nulls, unknownSources, unknownStatuses, unknownGroups, placeholders, duplicates, ClinicCsv.ReorderedFileName(ordered), multiline);
        return new ClinicData(first, last, profiles, ordered, exported, dirt);
    }

    private static ClinicEventRow Event(DemoRandom random, int patient, string group, string name, DateTime at, ref int unknownGroups, Dictionary<string, int> nulls)
    {
        if (random.Chance(UnknownGroup))
        {
            group = random.Pick(ClinicVocabulary.UnknownGroups);
            unknownGroups++;
        }

        long? id = FirstPatientId + patient;
        if (random.Chance(NullEventPatient))
        {
            id = null;
            nulls["ab_event"]++;
        }

        return new ClinicEventRow(0, id, ClinicVocabulary.Experiment, group, name, at);
    }

    // Exports keep whole seconds.
    private static DateTime Second(DateTime time) => new(time.Ticks - (time.Ticks % TimeSpan.TicksPerSecond), DateTimeKind.Utc);
}
