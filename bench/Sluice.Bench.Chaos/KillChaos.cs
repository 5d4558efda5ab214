namespace Sluice.Bench.Chaos;

/// <summary>
/// Kills sync, build, backfill and full refresh at random points (SIGKILL, no cleanup), runs the
/// command again, and checks the invariants. The product's database gains a day before each
/// sync, so every command has real work to be interrupted in.
/// </summary>
public static class KillChaos
{
    private enum Verb
    {
        Sync,
        Build,
        Backfill,
        FullRefresh,
    }

    public static async Task RunAsync(PipelineWorld world, int kills, Random random, Func<string, string, ChaosTally> tally, Action<string> log)
    {
        var tallies = new Dictionary<Verb, ChaosTally>
        {
            [Verb.Sync] = tally("kill sync", "`sluice sync` killed at a random point, run again; fails on a duplicate key, a day differing from the source, rewritten run history or a rerun that does not exit 0"),
            [Verb.Build] = tally("kill build", "`sluice build` killed, run again; fails as above or on a mart day differing from the undisturbed reference project"),
            [Verb.Backfill] = tally("kill backfill", "`sluice backfill --force` killed, `sluice backfill` run again; fails as for build"),
            [Verb.FullRefresh] = tally("kill full refresh", "`sluice build --full-refresh` killed, `sluice build` run again; fails as for build"),
        };

        // How long each command takes undisturbed, and how many lines it prints, set the range its
        // kill points are drawn from.
        var durations = new Dictionary<Verb, TimeSpan>();
        var lines = new Dictionary<Verb, int>();
        foreach (var verb in Enum.GetValues<Verb>())
        {
            if (verb == Verb.Sync)
            {
                await world.AdvanceAsync();
            }

            var undisturbed = await world.MustAsync(world.ProjectDirectory, Command(world, verb));
            durations[verb] = undisturbed.Elapsed;
            lines[verb] = undisturbed.Output.Count(c => c == '\n');
        }

        await world.UpdateReferenceAsync();
        var (_, history) = await Invariants.HistoryAsync(world, HistorySnapshot.Empty, built: true);
        log($"  undisturbed: {string.Join(", ", durations.Select(d => $"{d.Key} {d.Value.TotalSeconds:0.0} s"))}");

        var killedMidway = new Dictionary<Verb, int>();
        for (var round = 0; round < kills; round++)
        {
            var verb = (Verb)(round % 4);
            if (verb == Verb.Sync)
            {
                await world.AdvanceAsync();
                await world.UpdateReferenceAsync();
            }

            // Every other kill of a command comes after a number of its lines, in the first half
            // of its output, so that it lands in the work; the others at a time up to a little
            // past its undisturbed duration, so that some land at its very start or end.
            var byLines = round / 4 % 2 == 0 && lines[verb] >= 3;
            var at = TimeSpan.FromSeconds(random.NextDouble() * durations[verb].TotalSeconds * 1.2);
            var line = random.Next(1, Math.Max(2, lines[verb] / 2 + 1));
            var killed = byLines
                ? await world.Cli.RunAsync(world.ProjectDirectory, Command(world, verb), killAfterLines: line)
                : await world.Cli.RunAsync(world.ProjectDirectory, Command(world, verb), at);
            killedMidway[verb] = killedMidway.GetValueOrDefault(verb) + (killed.Killed ? 1 : 0);
            var problems = killed.Killed ? [] : OutputChecks.Problems(killed.Output, world.Secrets);
            var rerun = await world.Cli.RunAsync(world.ProjectDirectory, Rerun(world, verb));
            if (rerun.ExitCode != 0)
            {
                problems.Add($"the rerun exited {rerun.ExitCode}: {OutputChecks.Shorten(rerun.FirstError)}");
            }

            problems.AddRange(OutputChecks.Problems(rerun.Output, world.Secrets));
            problems.AddRange(await Invariants.RawAsync(world));
            if (verb != Verb.Sync)
            {
                problems.AddRange(await Invariants.MartsAsync(world));
            }

            // A sync moves the window a day ahead of what is built.
            (var historyProblems, history) = await Invariants.HistoryAsync(world, history, built: verb != Verb.Sync);
            problems.AddRange(historyProblems);
            tallies[verb].Add(problems, $"round {round + 1}, killed {(byLines ? $"after line {line}" : $"at {at.TotalSeconds:0.00} s")}{(killed.Killed ? string.Empty : " (it had finished)")}");
            tallies[verb].Interrupted = killedMidway[verb];
            if ((round + 1) % 20 == 0 || round + 1 == kills)
            {
                log($"  {round + 1}/{kills} kills, {killedMidway.Values.Sum()} before the command finished, {tallies.Values.Sum(t => t.Failed)} failed");
            }
        }
    }

    private static string[] Command(PipelineWorld world, Verb verb) => verb switch
    {
        Verb.Sync => ["sync"],
        Verb.Build => ["build", .. world.WindowOptions],
        Verb.Backfill => ["backfill", .. world.WindowOptions, "--force"],
        _ => ["build", "--full-refresh", .. world.WindowOptions],
    };

    private static string[] Rerun(PipelineWorld world, Verb verb) => verb switch
    {
        Verb.Sync => ["sync"],
        Verb.Backfill => ["backfill", .. world.WindowOptions],
        _ => ["build", .. world.WindowOptions],
    };
}
