namespace Sluice.Demo.Teei;

/// <summary>A program users enroll in, and how it tends to go.</summary>
/// <param name="Name">The program, as <c>program_enrollments.program</c> holds it.</param>
/// <param name="Focus">The outcome dimension it moves most.</param>
/// <param name="FeedbackType">The text type its sessions produce once a user is matched.</param>
/// <param name="MatchChance">The chance that an enrollment is ever matched.</param>
/// <param name="CompleteChance">The chance that a matched enrollment is completed.</param>
/// <param name="WeeksLong">How long it runs from the match, in weeks.</param>
public sealed record TeeiProgram(string Name, string Focus, string FeedbackType, double MatchChance, double CompleteChance, int WeeksLong);

/// <summary>The fixed values of the TEEI tables' text columns.</summary>
public static class TeeiVocabulary
{
    /// <summary>The five outcome dimensions the Q2Q classifier scores, as the analytics service names them.</summary>
    public static IReadOnlyList<string> Dimensions { get; } = ["confidence", "belonging", "lang_level_proxy", "job_readiness", "well_being"];

    /// <summary>The kinds of text that are scored, as the platform's <c>outcome_scores.text_type</c> names them.</summary>
    public static IReadOnlyList<string> TextTypes { get; } = ["buddy_feedback", "kintell_feedback", "checkin_note"];

    /// <summary>The industries of the benchmark cohorts.</summary>
    public static IReadOnlyList<string> Industries { get; } =
        ["technology", "financial_services", "healthcare", "manufacturing", "retail", "energy", "logistics", "professional_services"];

    /// <summary>The regions of the benchmark cohorts.</summary>
    public static IReadOnlyList<string> Regions { get; } = ["nordics", "uk_ireland", "western_europe", "central_eastern_europe", "north_america", "asia_pacific"];

    /// <summary>The company size bands of the benchmark cohorts, smallest first.</summary>
    public static IReadOnlyList<string> EmployeeSizes { get; } = ["1-50", "51-200", "201-1000", "1001-5000", "5000+"];

    /// <summary>The steps of an enrollment, in the funnel's order.</summary>
    public static IReadOnlyList<string> Statuses { get; } = ["enrolled", "matched", "completed"];

    /// <summary>The programs, each with the dimension it moves most and the feedback it produces.</summary>
    public static IReadOnlyList<TeeiProgram> Programs { get; } =
    [
        new("buddy", "belonging", "buddy_feedback", 0.80, 0.70, 8),
        new("language", "lang_level_proxy", "kintell_feedback", 0.85, 0.75, 6),
        new("mentorship", "job_readiness", "kintell_feedback", 0.65, 0.60, 10),
        new("upskilling", "confidence", "checkin_note", 0.75, 0.80, 4),
    ];

    /// <summary>The classifier that scores new texts.</summary>
    public const string ModelVersion = "q2q-v1.4";

    /// <summary>The classifier that re-scores texts whose scores were disputed.</summary>
    public const string RescoreModelVersion = "q2q-v2.0";

    /// <summary>Users of a company at the start, by size band: a range that <see cref="TeeiScale.UsersPerCompany"/> scales.</summary>
    internal static IReadOnlyList<(int Min, int Max)> UsersBySize { get; } = [(20, 40), (30, 70), (50, 110), (80, 160), (120, 200)];

    /// <summary>The words a company's name is made of, by industry, in the order of <see cref="Industries"/>.</summary>
    internal static IReadOnlyList<string[]> IndustryWords { get; } =
    [
        ["Systems", "Software", "Digital"], ["Bank", "Capital", "Insurance"], ["Health", "Care", "Medical"], ["Industries", "Manufacturing", "Engineering"],
        ["Retail", "Stores", "Commerce"], ["Energy", "Power", "Renewables"], ["Logistics", "Shipping", "Freight"], ["Consulting", "Partners", "Advisory"],
    ];

    /// <summary>The legal form that ends a company's name, by region, in the order of <see cref="Regions"/>.</summary>
    internal static IReadOnlyList<string> LegalForms { get; } = ["AS", "Ltd", "GmbH", "s.r.o.", "Inc", "Pte Ltd"];

    /// <summary>The first words of company names.</summary>
    internal static IReadOnlyList<string> NamePrefixes { get; } =
    [
        "Nordvik", "Fjordline", "Aurora", "Brightwater", "Kestrel", "Halden", "Solberg", "Vantage", "Meridian", "Lumen", "Cobalt", "Granite", "Harbor",
        "Polaris", "Tidewater", "Evergreen", "Summit", "Ironbridge", "Bluepeak", "Silverline", "Northstar", "Redwood", "Clearpath", "Oakridge",
        "Stonegate", "Westwind", "Skyline", "Riverbend", "Falcon", "Copperfield", "Birchwood", "Highland",
    ];
}
