using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using Sluice.Core.Project;
using Sluice.Server.Cache;
using Sluice.Server.Http;
using Sluice.Server.Observability;

namespace Sluice.Server.Access;

/// <summary>
/// Counts every request to <c>/api/v1</c> of a caller with a budget, answered from the cache or
/// not, but for those the server could not answer (503), and refuses it with 429 once the
/// day's or month's budget is spent, or with 503 once the permits in hand are used while the
/// store of the budgets (the warehouse, or Redis) does not answer. Every counted answer
/// carries what is left in <see cref="DailyHeader"/> and <see cref="MonthlyHeader"/>.
/// </summary>
internal sealed class BudgetGate(RequestDelegate next, QueryBudgets budgets, ServerMetrics metrics)
{
    /// <summary>The requests left today.</summary>
    public const string DailyHeader = "X-Budget-Daily-Remaining";

    /// <summary>The requests left this month.</summary>
    public const string MonthlyHeader = "X-Budget-Monthly-Remaining";

    public async Task InvokeAsync(HttpContext context)
    {
        if (Caller.Of(context).Key is not { Budget: { } budget, BudgetSubject: { } subject } key || !context.Request.Path.StartsWithSegments("/api/v1"))
        {
            await next(context);
            return;
        }

        BudgetDecision decision;
        try
        {
            decision = await budgets.AdmitAsync(subject, budget, context.RequestAborted);
        }
        catch (RedisUnavailableException e)
        {
            // Budgets fail closed: admitting without counting could pass the limit on every server.
            var retry = Math.Max(1, (long)Math.Ceiling(e.RetryAfter.TotalSeconds));
            await ProblemResponses.WriteAsync(
                context,
                StatusCodes.Status503ServiceUnavailable,
                $"The query budget of {(key.Tenant is null ? $"key '{key.Name}'" : $"tenant '{key.Tenant}'")} is counted in Redis (serve.cache), which does not answer: {e.Message}. Requests of keys with a budget are refused until Redis is back; retry in {retry} s.",
                headers: [new(HeaderNames.RetryAfter, retry.ToString(CultureInfo.InvariantCulture))]);
            return;
        }

        var headers = new List<KeyValuePair<string, string>>();
        if (decision.DailyRemaining is { } daily)
        {
            headers.Add(new(DailyHeader, daily.ToString(CultureInfo.InvariantCulture)));
        }

        if (decision.MonthlyRemaining is { } monthly)
        {
            headers.Add(new(MonthlyHeader, monthly.ToString(CultureInfo.InvariantCulture)));
        }

        if (!decision.Admitted)
        {
            metrics.BudgetRejected(key.Name);
            var retryAfter = (long)Math.Ceiling(decision.RetryAfter!.Value.TotalSeconds);
            headers.Add(new(HeaderNames.RetryAfter, retryAfter.ToString(CultureInfo.InvariantCulture)));
            var which = decision.MonthlyRemaining == 0 ? "monthly" : "daily";
            await ProblemResponses.WriteAsync(context, StatusCodes.Status429TooManyRequests, $"The {which} query budget of {(key.Tenant is null ? $"key '{key.Name}'" : $"tenant '{key.Tenant}'")} is spent; it renews in {retryAfter} s (UTC {(which == "daily" ? "midnight" : "first of the month")}). Budgets are set in serve.budget or the key's budget in sluice.yml.", headers: headers);
            return;
        }

        // Added as the answer starts, so that a problem written later keeps them.
        context.Response.OnStarting(() =>
        {
            foreach (var (name, value) in headers)
            {
                context.Response.Headers[name] = value;
            }

            return Task.CompletedTask;
        });
        try
        {
            await next(context);
        }
        catch (WarehouseException e) when (e.IsTransient)
        {
            // The problem handler answers it 503: the warehouse is away.
            await budgets.RefundAsync(subject, decision.Day);
            throw;
        }

        if (context.Response.StatusCode == StatusCodes.Status503ServiceUnavailable)
        {
            await budgets.RefundAsync(subject, decision.Day);
        }
    }
}
