using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Sluice.Server.Access;
using Sluice.Server.Http;
using Sluice.Server.Jobs;

namespace Sluice.Server.Api;

/// <summary>What <c>POST /api/v1/jobs</c> takes.</summary>
/// <param name="Command">sync, run, build, test, seed, snapshot, backfill or prune.</param>
/// <param name="Arguments">The command's arguments, as on the command line.</param>
/// <param name="Wait">Answer when the job has finished (200) rather than when it is queued (202).</param>
public sealed record JobRequest(
    [property: JsonPropertyName("command")] string? Command,
    [property: JsonPropertyName("arguments")] IReadOnlyList<string>? Arguments,
    [property: JsonPropertyName("wait")] bool Wait = false);

/// <summary>
/// <c>/api/v1/jobs</c> (admin keys): pipeline commands run by the server, which on DuckDB owns
/// the database file, so that <c>sluice sync/run/build</c> against a served project send their
/// work here instead of failing to open the file.
/// </summary>
internal static class JobsApi
{
    private const int MaxArguments = 100;

    public static RouteGroupBuilder MapJobsApi(this RouteGroupBuilder api)
    {
        api.MapPost("/jobs", PostAsync).RequireAdminKey().WithName("run_job")
            .WithSummary("Runs sync, run, build, test, seed, snapshot, backfill or prune in the server, one job at a time; 202 with the queued job, or 200 with the finished one when `wait` is true.")
            .Accepts<JobRequest>("application/json").Produces<JobStatus>(StatusCodes.Status202Accepted).Produces<JobStatus>();
        api.MapGet("/jobs", (HttpContext context) => TypedResults.Ok(Queue(context).List())).RequireAdminKey().WithName("jobs")
            .WithSummary($"The latest {JobQueue.Kept} jobs and every unfinished one, newest first.");
        api.MapGet("/jobs/{id}", (string id, HttpContext context) => Queue(context).Find(id) is { } job
                ? TypedResults.Ok(job)
                : throw ApiProblem.NotFound("id", $"There is no job '{RequestParameters.Shown(id)}'; GET /api/v1/jobs lists the latest."))
            .RequireAdminKey().WithName("job").WithSummary("One job: its state, exit code, output and log.");
        return api;
    }

    private static async Task<Results<Ok<JobStatus>, Accepted<JobStatus>>> PostAsync(HttpContext context, CancellationToken cancellationToken)
    {
        JobRequest? request;
        try
        {
            request = await JsonSerializer.DeserializeAsync<JobRequest>(context.Request.Body, ApiJson.Options, cancellationToken);
        }
        catch (JsonException e)
        {
            throw ApiProblem.BadParameter("body", $"The body is not a job as JSON ({e.Message}); send {{\"command\": \"build\", \"arguments\": [\"--select\", \"orders\"]}}.");
        }

        var command = request?.Command;
        if (command is null || !JobQueue.Commands.Contains(command))
        {
            throw ApiProblem.BadParameter("command", $"'command' must be one of {string.Join(", ", JobQueue.Commands)}, not '{RequestParameters.Shown(command ?? "")}'.");
        }

        var arguments = request!.Arguments ?? [];
        if (arguments.Count > MaxArguments || arguments.Any(a => a is null || a.Length > RequestParameters.MaxValueLength))
        {
            throw ApiProblem.BadParameter("arguments", $"'arguments' takes up to {MaxArguments} strings of up to {RequestParameters.MaxValueLength} characters.");
        }

        if (arguments.FirstOrDefault(a => a.StartsWith("--project-dir", StringComparison.Ordinal)) is { } directory)
        {
            throw ApiProblem.BadParameter("arguments", $"'{RequestParameters.Shown(directory)}' is not accepted: jobs run in the served project.");
        }

        // A client that goes away does not take its job with it.
        var (queued, finished) = Queue(context).Enqueue(command, arguments, CancellationToken.None);
        if (!request.Wait)
        {
            return TypedResults.Accepted($"/api/v1/jobs/{queued.Id}", queued);
        }

        return TypedResults.Ok(await finished.WaitAsync(cancellationToken));
    }

    private static JobQueue Queue(HttpContext context) =>
        context.RequestServices.GetService<JobQueue>()
        ?? throw new ApiProblem(StatusCodes.Status503ServiceUnavailable, "This server was started without a job runner, so it runs no jobs; `sluice serve` runs them.");
}
