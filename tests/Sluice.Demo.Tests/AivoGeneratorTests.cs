using Sluice.Demo.Aivo;

namespace Sluice.Demo.Tests;

/// <summary>The AIVO generator: the same rows for the same seed, and rows that hang together as the product's do.</summary>
public sealed class AivoGeneratorTests
{
    private static readonly DateOnly First = new(2026, 9, 1);

    [Fact]
    public void Equal_seeds_give_equal_rows_and_a_longer_range_shares_the_shorter_ones_days()
    {
        var a = AivoState.Build(5, First, First.AddDays(20), AivoScale.Small);
        var b = AivoState.Build(5, First, First.AddDays(20), AivoScale.Small);
        var other = AivoState.Build(6, First, First.AddDays(20), AivoScale.Small);

        foreach (var table in AivoTables.All)
        {
            Assert.Equal(Lines(a, table), Lines(b, table));
        }

        Assert.NotEqual(Lines(a, AivoTables.Sessions), Lines(other, AivoTables.Sessions));

        // Stepping on from day 10 reaches the same state as building to day 20 at once.
        var stepped = AivoState.Build(5, First, First.AddDays(10), AivoScale.Small);
        while (stepped.Last < a.Last)
        {
            stepped.Advance();
        }

        Assert.Equal(Lines(a, AivoTables.Responses), Lines(stepped, AivoTables.Responses));
    }

    [Fact]
    public void Dimensions_change_at_most_once_a_day_never_on_their_first_and_events_see_the_version_of_their_time()
    {
        var state = AivoState.Build(7, First, First.AddDays(89));
        var changed = 0;
        foreach (var table in AivoTables.Dimensions)
        {
            foreach (var key in state.EverKeys(table))
            {
                var times = state.Versions(table, key).Select(UpdatedAt).ToList();
                Assert.Equal(times.Order(), times);
                Assert.Equal(times.Count, times.Select(t => t.Date).Distinct().Count());
                changed += times.Count - 1;
            }
        }

        Assert.InRange(changed, 20, 2000);
        Assert.Contains(state.EverKeys(AivoTables.Users), k => state.DeletedOn(AivoTables.Users, k) is not null);
        Assert.True(state.EverKeys(AivoTables.Learners).Count(k => state.Versions(AivoTables.Learners, k).Select(v => ((LearnerRow)v).TenantId).Distinct().Count() > 1) > 0, "some learner should move school");

        // A session's tenant is its learner's at the session's start, and the learner existed then.
        var sessions = state.Rows<SessionRow>(AivoTables.Sessions).ToList();
        Assert.InRange(sessions.Count, 2000, 10000);
        foreach (var session in sessions)
        {
            var learner = state.Versions(AivoTables.Learners, session.LearnerId).Cast<LearnerRow>().Last(v => v.UpdatedAt <= session.StartedAt);
            Assert.Equal(learner.TenantId, session.TenantId);
            Assert.True(session.EndedAt is null || session.EndedAt > session.StartedAt);
        }

        // Answers lie inside their activity, activities inside their session's day.
        var activities = state.Rows<ActivityRow>(AivoTables.Activities).ToDictionary(a => a.Id);
        var sessionsById = sessions.ToDictionary(s => s.Id);
        Assert.All(state.Rows<ResponseRow>(AivoTables.Responses), r => Assert.True(r.AnsweredAt > activities[r.ActivityId].StartedAt));
        Assert.All(activities.Values, a => Assert.Equal(AivoTables.Day(sessionsById[a.SessionId].StartedAt), AivoTables.Day(a.StartedAt)));
        Assert.Contains(state.Rows<HomeworkRow>(AivoTables.Homework), h => h.Score is not null && AivoTables.Day(h.GradedAt!.Value) > AivoTables.Day(h.SubmittedAt));
        Assert.Contains(state.Rows<RecommendationRow>(AivoTables.Recommendations), r => r.Status != "shown" && AivoTables.Day(r.RespondedAt!.Value) > AivoTables.Day(r.ShownAt));
    }

    private static List<string> Lines(AivoState state, AivoTable table) =>
        [.. state.Rows(table).Select(r => string.Join("|", r.Values().Select(v => Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture))))];

    private static DateTime UpdatedAt(IAivoRow row) => row switch
    {
        TenantRow t => t.UpdatedAt,
        LearnerRow l => l.UpdatedAt,
        UserRow u => u.UpdatedAt,
        SubjectRow s => s.UpdatedAt,
        SkillRow k => k.UpdatedAt,
        _ => throw new ArgumentException(row.GetType().Name),
    };
}
