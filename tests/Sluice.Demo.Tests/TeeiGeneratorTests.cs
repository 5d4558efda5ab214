using Sluice.Demo.Teei;

namespace Sluice.Demo.Tests;

/// <summary>The TEEI generator: the same files for the same seed, and rows that hang together as the platform's do.</summary>
public sealed class TeeiGeneratorTests : IDisposable
{
    private static readonly DateOnly First = new(2026, 9, 1);
    private readonly string _directory = Directory.CreateTempSubdirectory("sluice-teei-").FullName;

    [Fact]
    public async Task Equal_seeds_write_byte_identical_files_and_stepping_a_day_at_a_time_writes_the_same()
    {
        var a = TeeiState.Build(5, First, First.AddDays(20), TeeiScale.Small);
        var b = TeeiState.Build(5, First, First.AddDays(20), TeeiScale.Small);
        var other = TeeiState.Build(6, First, First.AddDays(20), TeeiScale.Small);
        await TeeiCsv.WriteAsync(Folder("a"), a);
        await TeeiCsv.WriteAsync(Folder("b"), b);
        await TeeiCsv.WriteAsync(Folder("other"), other);
        var files = Files("a");
        Assert.True(files.Count > 40, $"{files.Count} files");
        Assert.Equal(files, Files("b"));
        Assert.NotEqual(files["outcome_scores_2026-09-10.csv"], Files("other")["outcome_scores_2026-09-10.csv"]);

        // Built to day 10, written, then stepped on a day at a time writing only what each day
        // touched: the same files as building to day 20 at once.
        var stepped = TeeiState.Build(5, First, First.AddDays(10), TeeiScale.Small);
        await TeeiCsv.WriteAsync(Folder("stepped"), stepped);
        while (stepped.Last < a.Last)
        {
            var changes = stepped.Advance();
            Assert.True(await TeeiCsv.WriteAsync(Folder("stepped"), stepped, changes) > 0);
        }

        Assert.Equal(files, Files("stepped"));
        Assert.Equal(0, await TeeiCsv.WriteAsync(Folder("stepped"), stepped));
    }

    [Fact]
    public void Every_score_and_enrollment_belongs_to_a_user_of_its_company_and_scores_keep_the_platforms_range()
    {
        var state = TeeiState.Build(7, First, First.AddDays(45), TeeiScale.Small);
        var companies = state.Rows<TeeiCompanyRow>(TeeiTables.Companies).ToDictionary(c => c.Id);
        var users = state.Rows<TeeiUserRow>(TeeiTables.Users).ToDictionary(u => u.Id);
        var enrollments = state.Rows<TeeiEnrollmentRow>(TeeiTables.Enrollments).ToList();
        var scores = state.Rows<TeeiScoreRow>(TeeiTables.Scores).ToList();
        Assert.InRange(scores.Count, 500, 20_000);

        Assert.All(users.Values, u => Assert.True(u.CreatedAt >= companies[u.CompanyId].CreatedAt));
        foreach (var enrollment in enrollments)
        {
            Assert.Equal(users[enrollment.UserId].CompanyId, enrollment.CompanyId);
            Assert.True(enrollment.EnrolledAt > users[enrollment.UserId].CreatedAt);
            Assert.All(new[] { enrollment.EnrolledAt, enrollment.MatchedAt, enrollment.CompletedAt, enrollment.UpdatedAt }.OfType<DateTime>(), WholeSecond);
        }

        // A user's texts are scored while the user is in a program.
        var enrolledSince = enrollments.GroupBy(e => e.UserId).ToDictionary(g => g.Key, g => g.Min(e => e.EnrolledAt));
        foreach (var score in scores)
        {
            Assert.Equal(users[score.UserId].CompanyId, score.CompanyId);
            Assert.True(score.CreatedAt > enrolledSince[score.UserId]);
            Assert.InRange(score.Score, 0m, 1m);
            Assert.InRange(score.Confidence, 0m, 1m);
            Assert.Equal(3, score.Score.Scale);
            Assert.Equal(3, score.Confidence.Scale);
            Assert.True(score.UpdatedAt >= score.CreatedAt);
            Assert.All(new[] { score.CreatedAt, score.UpdatedAt }, WholeSecond);
        }

        // The scores of one text: one user, one type, one time, each dimension once.
        foreach (var text in scores.GroupBy(s => s.TextId))
        {
            Assert.Single(text.Select(s => (s.UserId, s.TextType, s.CreatedAt)).Distinct());
            Assert.Equal(text.Count(), text.Select(s => s.Dimension).Distinct().Count());
        }
    }

    [Fact]
    public void Enrollments_move_only_forward_through_enrolled_matched_completed()
    {
        var state = TeeiState.Build(11, First, First.AddDays(-1), TeeiScale.Small);
        var seen = state.Rows<TeeiEnrollmentRow>(TeeiTables.Enrollments).ToDictionary(e => e.Id);
        Assert.NotEmpty(seen);
        for (var d = 0; d < 120; d++)
        {
            var changes = state.Advance();
            foreach (var row in changes.Written[TeeiTables.Enrollments].Cast<TeeiEnrollmentRow>())
            {
                if (seen.TryGetValue(row.Id, out var before))
                {
                    // One step a day, kept once taken.
                    Assert.Equal(Rank(before) + 1, Rank(row));
                    Assert.Equal((before.CompanyId, before.UserId, before.Program, before.EnrolledAt), (row.CompanyId, row.UserId, row.Program, row.EnrolledAt));
                    Assert.True(before.MatchedAt is null || before.MatchedAt == row.MatchedAt);
                    Assert.Equal(changes.Day, TeeiTables.Day(row.UpdatedAt));
                }
                else
                {
                    Assert.Equal("enrolled", row.Status);
                    Assert.Equal(changes.Day, TeeiTables.Day(row.EnrolledAt));
                }

                seen[row.Id] = row;
            }
        }

        var end = state.Last.ToDateTime(TimeOnly.MaxValue);
        foreach (var e in state.Rows<TeeiEnrollmentRow>(TeeiTables.Enrollments))
        {
            Assert.Equal(e.Status switch { "enrolled" => (false, false), "matched" => (true, false), _ => (true, true) }, (e.MatchedAt is not null, e.CompletedAt is not null));
            Assert.True(e.MatchedAt is null || (e.MatchedAt > e.EnrolledAt && e.MatchedAt.Value.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday)));
            Assert.True(e.CompletedAt is null || e.CompletedAt > e.MatchedAt.GetValueOrDefault(DateTime.MaxValue));
            Assert.Equal(e.CompletedAt ?? e.MatchedAt ?? e.EnrolledAt, e.UpdatedAt);
            Assert.True(e.UpdatedAt <= end);
        }

        // completed ⊆ matched ⊆ enrolled, and each step loses some: never matched after a month,
        // matched but not completed long after the program's end.
        var all = state.Rows<TeeiEnrollmentRow>(TeeiTables.Enrollments).ToList();
        var matched = all.Where(e => e.MatchedAt is not null).ToList();
        var completed = matched.Where(e => e.CompletedAt is not null).ToList();
        Assert.True(all.Count > matched.Count && matched.Count > completed.Count && completed.Count > 0, $"{all.Count} ≥ {matched.Count} ≥ {completed.Count}");
        Assert.Contains(all, e => e.MatchedAt is null && e.EnrolledAt < end.AddDays(-30));
        Assert.Contains(matched, e => e.CompletedAt is null && e.MatchedAt < end.AddDays(-(7 * Weeks(e)) - 21));
        Assert.Equal(TeeiVocabulary.Programs.Select(p => p.Name).Order(), all.Select(e => e.Program).Distinct().Order());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Every_dimension_text_type_industry_region_and_size_band_appears(long seed)
    {
        var state = TeeiState.Build(seed, First, First.AddDays(13), TeeiScale.Small);
        var scores = state.Rows<TeeiScoreRow>(TeeiTables.Scores).ToList();
        Assert.Equal(["belonging", "confidence", "job_readiness", "lang_level_proxy", "well_being"], scores.Select(s => s.Dimension).Distinct().Order());
        Assert.Equal(["buddy_feedback", "checkin_note", "kintell_feedback"], scores.Select(s => s.TextType).Distinct().Order());
        Assert.Equal([TeeiVocabulary.ModelVersion], scores.Where(s => s.UpdatedAt == s.CreatedAt).Select(s => s.ModelVersion).Distinct());

        var companies = state.Rows<TeeiCompanyRow>(TeeiTables.Companies).ToList();
        Assert.Equal(8, TeeiVocabulary.Industries.Count);
        Assert.Equal(6, TeeiVocabulary.Regions.Count);
        Assert.Equal(TeeiVocabulary.Industries.Order(), companies.Select(c => c.Industry).Distinct().Order());
        Assert.Equal(TeeiVocabulary.Regions.Order(), companies.Select(c => c.Region).Distinct().Order());
        Assert.Equal(["1-50", "51-200", "201-1000", "1001-5000", "5000+"], TeeiVocabulary.EmployeeSizes);
        Assert.Equal(TeeiVocabulary.EmployeeSizes.Order(), companies.Select(c => c.EmployeeSize).Distinct().Order());
        Assert.Equal(companies.Count, companies.Select(c => c.Name).Distinct().Count());
    }

    [Fact]
    public void A_days_changes_are_exactly_the_rows_that_differ_after_it()
    {
        var state = TeeiState.Build(13, First, First.AddDays(20), TeeiScale.Small);
        var kinds = new HashSet<string>();
        for (var d = 0; d < 20; d++)
        {
            var before = Snapshot(state);
            var changes = state.Advance();
            var after = Snapshot(state);
            Assert.Equal(changes.Day, state.Last);
            foreach (var table in TeeiTables.All)
            {
                // Nothing is deleted, and the rows that differ are the rows the day says it wrote.
                Assert.Empty(before[table].Keys.Except(after[table].Keys));
                var differ = after[table].Where(r => !before[table].TryGetValue(r.Key, out var old) || old.Line != r.Value.Line).Select(r => r.Key);
                Assert.Equal(differ.Order(), changes.Written[table].Select(r => r.Key).Order());

                foreach (var row in changes.Written[table])
                {
                    // A new row was made on the day; a changed one moved its cursor into the day.
                    Assert.Equal(changes.Day, TeeiTables.Day(row.UpdatedAt));
                    if (before[table].TryGetValue(row.Key, out var old))
                    {
                        Assert.True(row.UpdatedAt > old.Row.UpdatedAt);
                        Assert.Equal(Made(old.Row), Made(row));
                        kinds.Add(table.Name + (row is TeeiEnrollmentRow e ? ":" + e.Status : ":changed"));
                    }
                    else
                    {
                        Assert.Equal(changes.Day, TeeiTables.Day(Made(row)));
                        kinds.Add(table.Name + ":new");
                    }
                }
            }
        }

        Assert.Superset(new HashSet<string> { "users:new", "program_enrollments:new", "program_enrollments:matched", "program_enrollments:completed", "outcome_scores:new", "outcome_scores:changed" }, kinds);
        Assert.DoesNotContain("users:changed", kinds);
    }

    [Fact]
    public void The_demo_size_has_busier_weekdays_rising_scores_and_a_few_changed_companies_over_ninety_days()
    {
        var state = TeeiState.Build(17, First, First.AddDays(89));
        var firstStart = First.ToDateTime(TimeOnly.MinValue);
        var companies = state.Rows<TeeiCompanyRow>(TeeiTables.Companies).ToList();
        var initial = companies.Where(c => c.CreatedAt < firstStart).Select(c => c.Id).ToHashSet();
        Assert.Equal(TeeiScale.Default.Companies, initial.Count);
        var users = state.Rows<TeeiUserRow>(TeeiTables.Users).Where(u => u.CreatedAt < firstStart).GroupBy(u => u.CompanyId).ToList();
        Assert.Equal(initial.Count, users.Count);
        Assert.All(users, g => Assert.InRange(g.Count(), 20, 200));
        Assert.Contains(companies, c => c.UpdatedAt > c.CreatedAt);

        // Scores a day: many more on weekdays, and not the same every weekday.
        var scores = state.Rows<TeeiScoreRow>(TeeiTables.Scores).ToList();
        var byDay = scores.GroupBy(s => TeeiTables.Day(s.CreatedAt)).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(90, byDay.Count);
        var weekdays = byDay.Where(d => d.Key.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday)).Select(d => d.Value).ToList();
        var weekends = byDay.Where(d => d.Key.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday).Select(d => d.Value).ToList();
        Assert.InRange(weekdays.Average(), 200, 2000);
        Assert.True(weekdays.Average() > 3 * weekends.Average(), $"weekdays {weekdays.Average()}, weekends {weekends.Average()}");
        Assert.True(weekdays.Max() > 1.2 * weekdays.Min(), $"weekdays from {weekdays.Min()} to {weekdays.Max()}");
        Assert.Contains(scores, s => s.ModelVersion == TeeiVocabulary.RescoreModelVersion && TeeiTables.Day(s.UpdatedAt) > TeeiTables.Day(s.CreatedAt));

        // A program's focus dimension is scored higher late in the program than before the match.
        var enrollments = state.Rows<TeeiEnrollmentRow>(TeeiTables.Enrollments).GroupBy(e => e.UserId).ToDictionary(g => g.Key, g => g.OrderBy(e => e.EnrolledAt).ToList());
        var early = new List<double>();
        var late = new List<double>();
        foreach (var score in scores)
        {
            var enrollment = enrollments[score.UserId].Last(e => e.EnrolledAt < score.CreatedAt);
            var program = TeeiVocabulary.Programs.Single(p => p.Name == enrollment.Program);
            if (score.Dimension == program.Focus && score.UpdatedAt == score.CreatedAt)
            {
                if (enrollment.MatchedAt is null || enrollment.MatchedAt > score.CreatedAt)
                {
                    early.Add((double)score.Score);
                }
                else if (score.CreatedAt > enrollment.MatchedAt.Value.AddDays(5 * program.WeeksLong))
                {
                    late.Add((double)score.Score);
                }
            }
        }

        Assert.True(late.Average() > early.Average() + 0.1, $"late {late.Average():F3} ({late.Count}), early {early.Average():F3} ({early.Count})");
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private string Folder(string name) => Path.Combine(_directory, name);

    private SortedDictionary<string, byte[]> Files(string name) =>
        new(Directory.GetFiles(Folder(name)).ToDictionary(f => Path.GetFileName(f), File.ReadAllBytes), StringComparer.Ordinal);

    // The CSV files write whole seconds, so the rows hold nothing finer.
    private static void WholeSecond(DateTime time) => Assert.Equal(0, time.Ticks % TimeSpan.TicksPerSecond);

    private static int Rank(TeeiEnrollmentRow row) => TeeiVocabulary.Statuses.ToList().IndexOf(row.Status);

    private static int Weeks(TeeiEnrollmentRow row) => TeeiVocabulary.Programs.Single(p => p.Name == row.Program).WeeksLong;

    private static DateTime Made(ITeeiRow row) => row switch
    {
        TeeiCompanyRow c => c.CreatedAt,
        TeeiUserRow u => u.CreatedAt,
        TeeiEnrollmentRow e => e.EnrolledAt,
        TeeiScoreRow s => s.CreatedAt,
        _ => throw new ArgumentException(row.GetType().Name),
    };

    private static Dictionary<TeeiTable, Dictionary<Guid, (ITeeiRow Row, string Line)>> Snapshot(TeeiState state) =>
        TeeiTables.All.ToDictionary(t => t, t => state.Rows(t).ToDictionary(r => r.Key, r => (r, CsvText.Write([], [r.Values()]))));
}
