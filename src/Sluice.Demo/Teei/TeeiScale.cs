namespace Sluice.Demo.Teei;

/// <summary>How big the generated platform is.</summary>
/// <param name="Companies">Companies at the start. Eight or more give every industry, and so every region and size band, at least one company.</param>
/// <param name="UsersPerCompany">
/// Scales a company's users at the start, which follow its size band: 20–40 for 1-50 employees up to
/// 120–200 for 5000+ at 1. New users join later.
/// </param>
/// <param name="NewCompanyChance">The chance that a weekday brings a new company.</param>
public sealed record TeeiScale(int Companies, double UsersPerCompany, double NewCompanyChance)
{
    /// <summary>The demo's size: 24 companies of about 90 users, about 450 outcome scores a weekday.</summary>
    public static TeeiScale Default { get; } = new(24, 1.0, 0.04);

    /// <summary>A size for tests: eight companies of 4 to 40 users.</summary>
    public static TeeiScale Small { get; } = new(8, 0.2, 0.1);
}
