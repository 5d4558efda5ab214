namespace Sluice.Demo.Clinic;

/// <summary>
/// The values the clinic's patient app writes, with how often each occurs, and the values a real
/// export also holds that the app's contract does not allow (a retired source, a status typed by
/// hand, a group spelled in lower case): those are what the checks' enum sets must catch.
/// </summary>
public static class ClinicVocabulary
{
    /// <summary>Where a patient came to the app from.</summary>
    public static IReadOnlyList<(string Item, double Weight)> TrafficSources { get; } =
        [("organic", 34), ("paid_search", 22), ("social", 16), ("referral", 12), ("email", 9), ("partner_clinic", 7)];

    /// <summary>Sources an export holds that are not among <see cref="TrafficSources"/>.</summary>
    public static IReadOnlyList<string> UnknownTrafficSources { get; } = ["tiktok", "Organic", "n/a"];

    /// <summary>The devices patients use, as the app reports them.</summary>
    public static IReadOnlyList<(string Item, double Weight)> Devices { get; } =
        [("iPhone 15", 14), ("iPhone 13", 12), ("iPad Air", 5), ("Pixel 8", 8), ("Galaxy S23", 10), ("Galaxy A54", 9), ("Android tablet", 4), ("Web (Chrome)", 24), ("Web (Safari)", 14)];

    /// <summary>App versions, newest last.</summary>
    public static IReadOnlyList<string> AppVersions { get; } = ["3.8.2", "3.9.0", "3.9.1", "4.0.0", "4.1.3"];

    /// <summary>Cities of the clinic's patients.</summary>
    public static IReadOnlyList<(string Item, double Weight)> Cities { get; } =
        [("Lisbon", 30), ("Porto", 22), ("Braga", 10), ("Coimbra", 9), ("Faro", 7), ("Aveiro", 6), ("Setúbal", 8), ("Évora", 4), ("Funchal", 4)];

    /// <summary>The clinic's doctors.</summary>
    public static IReadOnlyList<string> Doctors { get; } =
        ["Dr. Amelia Hart", "Dr. Rui Almeida", "Dr. Sofia Marques", "Dr. Tomás Ferreira", "Dr. Inês Carvalho", "Dr. Daniel O'Brien", "Dr. Marta Sousa", "Dr. Hugo Pereira", "Dr. Leonor Costa", "Dr. Samuel Okafor", "Dr. Beatriz Lopes", "Dr. Nuno Ribeiro"];

    /// <summary>Why patients book, with how often.</summary>
    public static IReadOnlyList<(string Item, double Weight)> Reasons { get; } =
        [("Annual check-up", 18), ("Follow-up", 16), ("Prescription renewal", 12), ("Blood test results", 10), ("Vaccination", 9), ("Back pain", 8), ("Skin concern", 8), ("Allergy", 6), ("Mental health consultation", 7), ("Pediatric visit", 6)];

    /// <summary>What became of an appointment.</summary>
    public static IReadOnlyList<string> Statuses { get; } = ["scheduled", "completed", "cancelled", "no_show", "rescheduled"];

    /// <summary>Statuses an export holds that are not among <see cref="Statuses"/>.</summary>
    public static IReadOnlyList<string> UnknownStatuses { get; } = ["pending", "CANCELLED", "done"];

    /// <summary>The A/B test's groups.</summary>
    public static IReadOnlyList<string> Groups { get; } = ["Test", "Control"];

    /// <summary>Groups an export holds that are not among <see cref="Groups"/>.</summary>
    public static IReadOnlyList<string> UnknownGroups { get; } = ["test", "holdout"];

    /// <summary>The experiment the A/B events belong to.</summary>
    public const string Experiment = "booking_flow_v2";

    /// <summary>The booking funnel's events, in the order a patient goes through them.</summary>
    public static IReadOnlyList<string> EventNames { get; } = ["app_open", "view_doctor_list", "view_slots", "start_booking", "booking_confirmed"];

    /// <summary>Events outside the funnel.</summary>
    public static IReadOnlyList<string> OtherEvents { get; } = ["reminder_opened", "cancel_booking"];

    /// <summary>Notes the front desk writes, some over several lines.</summary>
    public static IReadOnlyList<string> Notes { get; } =
    [
        "Patient asked for a morning slot.",
        "Bring previous test results.",
        "Fasting required.\nNo food after 22:00.",
        "Interpreter requested (Portuguese → English).",
        "Wheelchair access needed.",
        "Referred by \"Clínica do Sol\", see letter.",
        "Call back if the doctor is late.\nPrefers SMS, not e-mail.",
    ];
}
