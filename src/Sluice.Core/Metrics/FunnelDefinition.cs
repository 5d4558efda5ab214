using Sluice.Core.Models;

namespace Sluice.Core.Metrics;

/// <summary>
/// A funnel: entities (users) passing through ordered steps, each step an event whose
/// <paramref name="StepColumn"/> holds one of <paramref name="Steps"/>; an entity reaches a step
/// when it has that event after reaching the one before, within <paramref name="Window"/> of its first step.
/// </summary>
/// <param name="Name">The name the API uses: <c>/api/v1/funnels/{name}</c>.</param>
/// <param name="Relation">The events' model or source table.</param>
/// <param name="Entity">The column identifying who moves through the steps.</param>
/// <param name="Time">The event time column.</param>
/// <param name="StepColumn">The column naming the event.</param>
/// <param name="Steps">The steps' values, in order (two or more).</param>
/// <param name="Window">How long after the first step later steps still count; null for no limit.</param>
/// <param name="Dimensions">Columns the funnel may be filtered by.</param>
/// <param name="Location">Where it is declared.</param>
public sealed record FunnelDefinition(
    string Name,
    RelationReference Relation,
    string Entity,
    string Time,
    string StepColumn,
    IReadOnlyList<string> Steps,
    TimeSpan? Window,
    IReadOnlyList<string> Dimensions,
    string Location);
