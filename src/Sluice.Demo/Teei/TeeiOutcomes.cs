namespace Sluice.Demo.Teei;

/// <summary>
/// How the generated outcome scores behave, so that trends, cohorts and benchmarks have something
/// to find: each user starts from a baseline per dimension that leans with the company and with
/// its industry, region and size; scores rise with time in a program once matched, the
/// program's focus dimension most; check-in notes are noisier and scored with less confidence;
/// well-being dips on Mondays.
/// </summary>
internal sealed class TeeiOutcomes(long seed)
{
    private readonly Dictionary<Guid, double> _companyLeans = [];
    private readonly Dictionary<Guid, double[]> _baselines = [];

    public void AddCompany(Guid company, DemoRandom random) => _companyLeans[company] = random.Normal(0, 0.05);

    public void AddUser(Guid user, TeeiCompanyRow company, DemoRandom random)
    {
        var industry = IndexOf(TeeiVocabulary.Industries, company.Industry);
        var region = IndexOf(TeeiVocabulary.Regions, company.Region);
        var size = IndexOf(TeeiVocabulary.EmployeeSizes, company.EmployeeSize);
        var baselines = new double[TeeiVocabulary.Dimensions.Count];
        for (var d = 0; d < baselines.Length; d++)
        {
            var mean = 0.38 + _companyLeans[company.Id] + Lean(1, industry, d) + Lean(2, region, d) + (0.01 * size);
            baselines[d] = Math.Clamp(random.Normal(mean, 0.08), 0.05, 0.85);
        }

        _baselines[user] = baselines;
    }

    /// <summary>The score and the model's confidence for one dimension of a text written at <paramref name="at"/>.</summary>
    public (decimal Score, decimal Confidence) Score(DemoRandom random, TeeiEnrollmentRow enrollment, TeeiProgram program, int dimension, string textType, DateTime at)
    {
        double progress;
        if (enrollment.CompletedAt <= at)
        {
            progress = 1;
        }
        else if (enrollment.MatchedAt is { } matched && matched <= at)
        {
            progress = Math.Min(1, (at - matched).TotalDays / (program.WeeksLong * 7));
        }
        else
        {
            // Waiting for a match helps a little: the intake conversation, the first check-ins.
            progress = 0.15 * Math.Min(1, (at - enrollment.EnrolledAt).TotalDays / 30);
        }

        var name = TeeiVocabulary.Dimensions[dimension];
        var gain = name == program.Focus ? 0.28 : 0.16;
        var weekday = name != "well_being" ? 0 : at.DayOfWeek switch
        {
            DayOfWeek.Monday => -0.02,
            DayOfWeek.Friday => 0.015,
            _ => 0,
        };
        var checkin = textType == "checkin_note";
        var score = _baselines[enrollment.UserId][dimension] + (gain * progress) + weekday + random.Normal(0, checkin ? 0.09 : 0.06);
        var confidence = random.Normal(checkin ? 0.74 : 0.84, 0.06);
        return (Thousandths(score), Thousandths(Math.Clamp(confidence, 0.4, 0.99)));
    }

    /// <summary>A disputed score, scored again by the newer classifier: near the old one, with more confidence.</summary>
    public static (decimal Score, decimal Confidence) Rescore(DemoRandom random, TeeiScoreRow row) =>
        (Thousandths((double)row.Score + random.Normal(0, 0.05)), Thousandths(Math.Clamp(random.Normal(0.88, 0.05), 0.4, 0.99)));

    // A number in [0, 1] at the platform's precision, numeric(4,3): always three places, so that
    // the CSV files and PostgreSQL print it alike (0.700, not 0.7).
    private static decimal Thousandths(double value) => new((int)Math.Round(Math.Clamp(value, 0, 1) * 1000), 0, 0, false, 3);

    // A cohort's lean on a dimension, from the seed alone so that it holds for every company in it.
    private double Lean(long cohort, int index, int dimension) => DemoRandom.For(seed, 900 + cohort, index, dimension).Normal(0, 0.04);

    private static int IndexOf(IReadOnlyList<string> values, string value)
    {
        for (var i = 0; i < values.Count; i++)
        {
            if (values[i] == value)
            {
                return i;
            }
        }

        throw new ArgumentException($"'{value}' is not one of {string.Join(", ", values)}.", nameof(value));
    }
}
