using System.Globalization;
using System.Text;

namespace Sluice.Core.Warehouse;

/// <summary>
/// What a funnel query counts: the entities of <see cref="Relation"/> whose first event of the
/// first step falls before <see cref="End"/>, and of those, how many then reach each further
/// step in order (each step's earliest event at or after the previous step's), within
/// <see cref="WindowSeconds"/> of entering when there is a window. Every text is SQL: quoted
/// names, parameter placeholders, conditions already bound.
/// </summary>
/// <param name="Relation">The quoted table of events.</param>
/// <param name="Entity">The quoted column of who moves through the funnel.</param>
/// <param name="Step">The quoted column naming the step of an event.</param>
/// <param name="Time">The quoted date or timestamp column of when it happened.</param>
/// <param name="Steps">The steps' values in order, as placeholders.</param>
/// <param name="Conditions">The conditions an event must meet to count (range start, tenant, filters), joined by <c>and</c>.</param>
/// <param name="End">The placeholder of the first moment after the range: entering must come before it.</param>
/// <param name="WindowSeconds">How long after entering an entity may reach a later step, or null for no limit.</param>
public sealed record FunnelSql(string Relation, string Entity, string Step, string Time, IReadOnlyList<string> Steps, string Conditions, string End, long? WindowSeconds)
{
    /// <summary>
    /// The query with common table expressions and joins: one row with the count of entities at
    /// each step, in order.
    /// </summary>
    public string Joined()
    {
        var window = WindowSeconds is { } w
            ? string.Create(CultureInfo.InvariantCulture, $" and e.event_at <= s.entered_at + interval '{w} seconds'")
            : string.Empty;
        var sql = new StringBuilder()
            .Append("with events as (select ").Append(Entity).Append(" as entity, ")
            .Append(Step).Append(" as step, ").Append(Time).Append(" as event_at from ")
            .Append(Relation).Append(" where ").Append(Conditions).Append(')')
            .Append(", step1 as (select entity, min(event_at) as entered_at, min(event_at) as reached_at from events where step = ").Append(Steps[0])
            .Append(" and event_at < ").Append(End).Append(" group by entity)");
        for (var i = 1; i < Steps.Count; i++)
        {
            sql.Append(CultureInfo.InvariantCulture, $", step{i + 1} as (select s.entity, s.entered_at, min(e.event_at) as reached_at from step{i} s join events e on e.entity = s.entity and e.step = {Steps[i]} and e.event_at >= s.reached_at{window} group by s.entity, s.entered_at)");
        }

        sql.Append(" select ").Append(string.Join(", ", Enumerable.Range(1, Steps.Count).Select(i => $"(select count(*) from step{i})")));
        return sql.ToString();
    }
}
