using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Sluice.Cli.Output;
using Sluice.Core.Project;
using Sluice.Operate.Alerts;
using Sluice.Operate.Notify;
using Sluice.Operate.Schedules;
using Sluice.Warehouses;
using Sluice.Warehouses.Metadata;
using Spectre.Console;

namespace Sluice.Cli.Tasks;

/// <summary>
/// <c>sluice alerts</c>: alerts.yml's rules with where their alerts stand, the silences in force
/// and the latest transitions; <c>sluice alerts silence RULE --for 2h</c> and
/// <c>sluice alerts unsilence RULE</c>. On a DuckDB project that a server holds, the server's API
/// answers (with the admin key in <c>SLUICE_API_KEY</c>).
/// </summary>
internal sealed class AlertsTask(CliContext context, ParseResult parseResult)
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseUpper) },
    };

    private static readonly Option<int> RecentOption = new("--recent")
    {
        Description = "How many of the latest transitions (firing, resolved, …) to show.",
        HelpName = "count",
        DefaultValueFactory = _ => 10,
    };

    private static readonly Argument<string> RuleArgument = new("rule") { Description = "The rule, as named in alerts.yml." };

    private static readonly Option<string> ForOption = new("--for")
    {
        Description = "How long the silence lasts, such as 2h or 1d (at most 30d).",
        HelpName = "duration",
        Required = true,
    };

    private static readonly Option<string?> ReasonOption = new("--reason")
    {
        Description = "Why, for whoever looks at the alerts next.",
        HelpName = "text",
    };

    public static Command CreateCommand(GlobalOptions globals)
    {
        var silence = new Command("silence", "Silence an alert rule for a while: its alerts are still evaluated and recorded, but nobody is told.")
        {
            RuleArgument, ForOption, ReasonOption,
        };
        VerbRunner.SetAction(silence, globals, "silencing failed", (parseResult, context, cancellationToken) =>
            new AlertsTask(context, parseResult).SilenceAsync(cancellationToken));

        var unsilence = new Command("unsilence", "End an alert rule's silences now.")
        {
            RuleArgument,
        };
        VerbRunner.SetAction(unsilence, globals, "ending the silence failed", (parseResult, context, cancellationToken) =>
            new AlertsTask(context, parseResult).UnsilenceAsync(cancellationToken));

        var command = new Command("alerts", "List alerts.yml's rules with their state (OK, PENDING, FIRING), their alerts, the silences in force and the latest transitions.")
        {
            ModelOptions.Format, RecentOption, silence, unsilence,
        };
        VerbRunner.SetAction(command, globals, "listing the alerts failed", (parseResult, context, cancellationToken) =>
            new AlertsTask(context, parseResult).ListAsync(cancellationToken));
        return command;
    }

    public async Task<int> ListAsync(CancellationToken cancellationToken)
    {
        var recent = parseResult.GetValue(RecentOption);
        if (recent is < 0 or > 1000)
        {
            ErrorReporter.WriteError(context, $"--recent {recent} is out of range; give 0 to 1000.");
            return ExitCodes.Usage;
        }

        var (project, rules) = Read();
        var json = parseResult.GetRequiredValue(ModelOptions.Format) == "json";
        AlertsOverview overview;
        if (ServerHandoff.ServedBy(project, "alerts") is { } holder)
        {
            var body = await ServerHandoff.CallAsync(holder, project, HttpMethod.Get, $"/api/v1/alerts?recent={recent}", "the alerts", cancellationToken);
            if (json)
            {
                await context.Out.WriteLineAsync(body);
                return ExitCodes.Success;
            }

            overview = JsonSerializer.Deserialize<AlertsOverview>(body, Json)!;
        }
        else
        {
            await using var warehouse = WarehouseFactory.Create(project.Warehouse, project.Directory);
            await using var session = await warehouse.OpenSessionAsync(cancellationToken);
            await MetadataSchema.MigrateAsync(session, cancellationToken: cancellationToken);
            overview = await AlertsOverview.ReadAsync(session, rules, DateTimeOffset.UtcNow, recent, cancellationToken);
            if (json)
            {
                await context.Out.WriteLineAsync(JsonSerializer.Serialize(overview, Json));
                return ExitCodes.Success;
            }
        }

        if (overview.Rules.Count == 0)
        {
            await context.Error.WriteLineAsync($"The project has no {AlertsReader.FileName}; write one to be told when checks fail, partitions are late or parity drifts (see docs/operate.md).");
            return ExitCodes.Success;
        }

        Write(overview);
        return ExitCodes.Success;
    }

    public async Task<int> SilenceAsync(CancellationToken cancellationToken)
    {
        var rule = parseResult.GetRequiredValue(RuleArgument);
        var text = parseResult.GetRequiredValue(ForOption);
        if (AlertStore.SilenceLength(text) is not { } length)
        {
            ErrorReporter.WriteError(context, $"--for '{text}' is not a duration from 1s to 30d; give one such as 2h. To keep a rule quiet for longer, set `enabled: false` on it in {AlertsReader.FileName}.");
            return ExitCodes.Usage;
        }

        var reason = parseResult.GetValue(ReasonOption);
        var (project, rules) = Read();
        if (Unknown(rule, rules) is { } exit)
        {
            return exit;
        }

        AlertSilence silence;
        if (ServerHandoff.ServedBy(project, "alerts silence") is { } holder)
        {
            var query = $"for={Uri.EscapeDataString(text)}{(reason is null ? string.Empty : $"&reason={Uri.EscapeDataString(reason)}")}";
            silence = JsonSerializer.Deserialize<AlertSilence>(
                await ServerHandoff.CallAsync(holder, project, HttpMethod.Post, $"/api/v1/alerts/{Uri.EscapeDataString(rule)}/silence?{query}", "silences", cancellationToken), Json)!;
        }
        else
        {
            await using var warehouse = WarehouseFactory.Create(project.Warehouse, project.Directory);
            await using var session = await warehouse.OpenSessionAsync(cancellationToken);
            await MetadataSchema.MigrateAsync(session, cancellationToken: cancellationToken);
            var now = DateTimeOffset.UtcNow;
            var by = $"{Environment.UserName}@{Environment.MachineName}";
            var id = await AlertStore.SilenceAsync(session, rule, now, now + length, reason, by, cancellationToken);
            silence = new AlertSilence(id, rule, now, now + length, reason, by);
        }

        await context.Error.WriteLineAsync($"Silenced {rule} until {Local(silence.EndsAt)} ({TimeZoneInfo.Local.Id}); its alerts are still recorded. `sluice alerts unsilence {rule}` ends it sooner.");
        return ExitCodes.Success;
    }

    public async Task<int> UnsilenceAsync(CancellationToken cancellationToken)
    {
        var rule = parseResult.GetRequiredValue(RuleArgument);
        var (project, rules) = Read();
        if (Unknown(rule, rules) is { } exit)
        {
            return exit;
        }

        int ended;
        if (ServerHandoff.ServedBy(project, "alerts unsilence") is { } holder)
        {
            var answer = await ServerHandoff.CallAsync(holder, project, HttpMethod.Delete, $"/api/v1/alerts/{Uri.EscapeDataString(rule)}/silence", "silences", cancellationToken);
            ended = JsonDocument.Parse(answer).RootElement.GetProperty("ended").GetInt32();
        }
        else
        {
            await using var warehouse = WarehouseFactory.Create(project.Warehouse, project.Directory);
            await using var session = await warehouse.OpenSessionAsync(cancellationToken);
            await MetadataSchema.MigrateAsync(session, cancellationToken: cancellationToken);
            ended = await AlertStore.EndSilencesAsync(session, rule, DateTimeOffset.UtcNow, cancellationToken);
        }

        await context.Error.WriteLineAsync(ended == 0 ? $"{rule} was not silenced." : $"Ended the silence of {rule}; its alerts are told again.");
        return ExitCodes.Success;
    }

    // alerts.yml, checked against the project as a scheduler checks it when it starts.
    private (SluiceProject Project, IReadOnlyList<AlertRule> Rules) Read()
    {
        var project = ProjectLoader.Load(context.ProjectDirectory);
        var rules = ProjectAlerts.Read(project, ScheduleReader.Read(project), ChannelReader.Read(project));
        return (project, rules);
    }

    private int? Unknown(string rule, IReadOnlyList<AlertRule> rules)
    {
        if (rules.Any(r => r.Name == rule))
        {
            return null;
        }

        ErrorReporter.WriteError(context, rules.Count == 0
            ? $"there is no alert rule '{rule}': the project has no {AlertsReader.FileName}."
            : $"there is no alert rule '{rule}'; the rules are {string.Join(", ", rules.Select(r => r.Name))}.");
        return ExitCodes.Usage;
    }

    private void Write(AlertsOverview overview)
    {
        var console = Consoles.For(context.Out, !Console.IsOutputRedirected && context.Out == Console.Out);
        var rules = Tables.Create(("rule", false), ("condition", false), ("severity", false), ("state", false), ("subjects", false), ("silenced until", false));
        foreach (var rule in overview.Rules)
        {
            rules.AddRow(
                new Text(rule.Name),
                new Text(rule.Condition),
                new Text(rule.Severity),
                new Text(rule.State),
                new Text(rule.Alerts.Count == 0 ? "-" : string.Join(", ", rule.Alerts.Select(a => a.Subject))),
                new Text(rule.SilencedUntil is { } until ? Local(until) : "-"));
        }

        console.Write(rules);
        var alerts = overview.Rules.SelectMany(r => r.Alerts).ToList();
        if (alerts.Count > 0)
        {
            var table = Tables.Create(("rule", false), ("subject", false), ("state", false), ($"since ({TimeZoneInfo.Local.Id})", false), ("what", false));
            foreach (var alert in alerts)
            {
                table.AddRow(new Text(alert.Rule), new Text(alert.Subject), new Text(alert.State.ToString().ToUpperInvariant()), new Text(Local(alert.Since)), new Text(alert.Summary));
            }

            console.Write(table);
        }

        if (overview.Recent.Count > 0)
        {
            var table = Tables.Create(($"when ({TimeZoneInfo.Local.Id})", false), ("rule", false), ("subject", false), ("event", false), ("told", false));
            foreach (var e in overview.Recent)
            {
                table.AddRow(new Text(Local(e.OccurredAt)), new Text(e.Rule), new Text(e.Subject), new Text(e.Kind.ToString().ToUpperInvariant()), new Text(e.Silenced ? "silenced" : e.Notify ? "yes" : "no"));
            }

            console.Write(table);
        }
    }

    private static string Local(DateTimeOffset time) =>
        TimeZoneInfo.ConvertTime(time, TimeZoneInfo.Local).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
}
