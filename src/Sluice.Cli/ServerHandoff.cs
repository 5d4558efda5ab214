using System.CommandLine;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Sluice.Core.Project;
using Sluice.Warehouses.DuckDb;

namespace Sluice.Cli;

/// <summary>
/// Commands against a DuckDB project that <c>sluice serve</c> is serving: the server owns the
/// database file, so pipeline commands (sync, run, build, test, seed, snapshot, backfill, prune) are
/// sent to it as jobs (<c>POST /api/v1/jobs</c>, with the admin key in <c>SLUICE_API_KEY</c>
/// when the server has keys), and other commands that open the file stop with a message naming
/// the server.
/// </summary>
internal static class ServerHandoff
{
    /// <summary>The environment variable holding an admin API key for the server's jobs.</summary>
    public const string KeyVariable = "SLUICE_API_KEY";

    private static readonly string[] Forwarded = ["sync", "run", "build", "test", "seed", "snapshot", "backfill", "prune", "trigger"];
    private static readonly string[] NeedFile = ["query", "status", "parity", "debug", "serve", "schedule", "export"];

    /// <summary>
    /// Runs the command in the server holding the project's DuckDB file and returns its exit
    /// code, or returns null when no other process serves the file (the command then runs here).
    /// </summary>
    public static async Task<int?> TryAsync(ParseResult parseResult, CliContext context, CancellationToken cancellationToken)
    {
        var verb = parseResult.CommandResult.Command.Name;
        if ((!Forwarded.Contains(verb) && !NeedFile.Contains(verb)) || (verb == "debug" && parseResult.GetValue(Tasks.DebugTask.Dbt)))
        {
            // debug --dbt reads the project's files only, never the warehouse.
            return null;
        }

        SluiceProject project;
        try
        {
            project = ProjectLoader.Load(context.ProjectDirectory);
        }
        catch (SluiceException)
        {
            // The command reports the project's errors itself.
            return null;
        }

        if (ServingHolder.DatabaseOf(project.Warehouse, project.Directory) is not { } database
            || ServingHolder.Find(database) is not { IsThisProcess: false } holder)
        {
            return null;
        }

        var file = Path.GetRelativePath(project.Directory, database);
        if (!holder.HasApi)
        {
            throw new SluiceException(verb == "schedule"
                ? $"the schedules of this project already run in {holder}; one scheduler runs per project, so stop that one first."
                : 
                $"{file} is held by {holder}, which runs the project's schedules and has no API to send `sluice {verb}` to; stop it to run the command here, or run the schedules with `sluice serve` instead, which takes commands while it runs them.");
        }

        if (!Forwarded.Contains(verb))
        {
            throw new SluiceException(verb switch
            {
                "serve" => $"{file} is already served by {holder}; stop it first, or use its API.",
                "schedule" => $"{file} is held by {holder}, which runs the project's schedules itself; stop it first to run them with `sluice schedule`.",
                _ => $"{file} is held by {holder}, which owns the DuckDB file while it runs; stop it to run `sluice {verb}`, or use its API (GET {holder.Url}/api/v1/status).",
            });
        }

        return await SendAsync(holder, file, verb, Arguments(parseResult, verb), context, cancellationToken);
    }

    private static async Task<int> SendAsync(ServingHolder holder, string file, string verb, IReadOnlyList<string> arguments, CliContext context, CancellationToken cancellationToken)
    {
        await context.Error.WriteLineAsync($"{file} is served by {holder}; running `sluice {verb}` there.");
        if (verb == "trigger")
        {
            var run = JsonDocument.Parse(await PostAsync(holder, file, $"/api/v1/schedules/{Uri.EscapeDataString(arguments[0])}/trigger?wait=true", null, "the trigger", cancellationToken)).RootElement;
            var status = run.GetProperty("status").GetString();
            await context.Error.WriteLineAsync(status == "SUCCESS"
                ? $"Schedule {arguments[0]} ran ({run.GetProperty("attempts").GetInt32()} attempt(s); run {run.GetProperty("run_id").GetString()})."
                : $"error: schedule {arguments[0]} ended {status}: {run.GetProperty("error").GetString()}");
            return status == "SUCCESS" ? ExitCodes.Success : status == "CANCELLED" ? ExitCodes.Cancelled : ExitCodes.Failure;
        }

        var job = JsonDocument.Parse(await PostAsync(holder, file, "/api/v1/jobs", new { command = verb, arguments, wait = true }, "the job", cancellationToken)).RootElement;
        await context.Out.WriteAsync(job.GetProperty("output").GetString());
        await context.Error.WriteAsync(job.GetProperty("log").GetString());
        return job.GetProperty("exit_code") is { ValueKind: JsonValueKind.Number } code ? code.GetInt32() : ExitCodes.Failure;
    }

    /// <summary>
    /// The server that holds the project's DuckDB file and answers its API, or null when no other
    /// process holds it (the command then opens the file itself).
    /// </summary>
    /// <exception cref="SluiceException">Another process holds the file and has no API: it must be stopped first.</exception>
    public static ServingHolder? ServedBy(SluiceProject project, string verb)
    {
        if (ServingHolder.DatabaseOf(project.Warehouse, project.Directory) is not { } database
            || ServingHolder.Find(database) is not { IsThisProcess: false } holder)
        {
            return null;
        }

        return holder.HasApi
            ? holder
            : throw new SluiceException($"{Path.GetRelativePath(project.Directory, database)} is held by {holder}, which has no API to answer `sluice {verb}`; stop it to run the command here.");
    }

    /// <summary>Sends a request to the server holding the project; returns the answer's body, or throws a message saying why the server would not answer.</summary>
    public static Task<string> CallAsync(ServingHolder holder, SluiceProject project, HttpMethod method, string path, string what, CancellationToken cancellationToken) =>
        SendAsync(holder, ServingHolder.DatabaseOf(project.Warehouse, project.Directory) is { } database ? Path.GetRelativePath(project.Directory, database) : project.Name, method, path, null, what, cancellationToken);

    private static Task<string> PostAsync(ServingHolder holder, string file, string path, object? body, string what, CancellationToken cancellationToken) =>
        SendAsync(holder, file, HttpMethod.Post, path, body, what, cancellationToken);

    // Sends to the server holding the file, with the admin key from the environment; returns the
    // answer's body, or throws a message saying why the server would not do it.
    private static async Task<string> SendAsync(ServingHolder holder, string file, HttpMethod method, string path, object? body, string what, CancellationToken cancellationToken)
    {
        using var client = new HttpClient { BaseAddress = new Uri(holder.Url), Timeout = Timeout.InfiniteTimeSpan };
        if (Environment.GetEnvironmentVariable(KeyVariable) is { Length: > 0 } key)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        HttpResponseMessage response;
        try
        {
            using var request = new HttpRequestMessage(method, path) { Content = method == HttpMethod.Get ? null : JsonContent.Create(body) };
            response = await client.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            throw new SluiceException($"{file} is held by {holder}, which does not answer ({e.Message}); stop that process, or wait for it to finish starting.");
        }

        using (response)
        {
            var answer = await response.Content.ReadAsStringAsync(cancellationToken);
            if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
            {
                throw new SluiceException(
                    $"{holder} holds {file} and answers {what} for admin API keys only; set {KeyVariable} to an admin key from serve.api_keys{(response.StatusCode == HttpStatusCode.Forbidden ? " (the key given is a tenant's)" : string.Empty)}, or stop the server.");
            }

            if (!response.IsSuccessStatusCode)
            {
                throw new SluiceException($"{holder} refused {what} ({(int)response.StatusCode}): {Detail(answer)}");
            }

            return answer;
        }
    }

    // The command's own arguments, as typed after the verb, without the global options: the
    // server runs the job in its own project.
    private static List<string> Arguments(ParseResult parseResult, string verb)
    {
        var tokens = parseResult.Tokens.Select(t => t.Value).ToList();
        var arguments = new List<string>();
        var seenVerb = false;
        for (var i = 0; i < tokens.Count; i++)
        {
            var token = tokens[i];
            if (!seenVerb)
            {
                seenVerb = token == verb;
                i += token == "--project-dir" ? 1 : 0;
                continue;
            }

            if (token == "--project-dir")
            {
                i++;
            }
            else if (token is not ("--verbose" or "-v") && !token.StartsWith("--project-dir=", StringComparison.Ordinal))
            {
                arguments.Add(token);
            }
        }

        return arguments;
    }

    private static string Detail(string body)
    {
        try
        {
            return JsonDocument.Parse(body).RootElement.GetProperty("detail").GetString() ?? body;
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return body.Length > 300 ? body[..300] : body;
        }
    }
}
