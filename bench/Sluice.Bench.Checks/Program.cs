using Sluice.Bench;

CheckBenchOptions options;
try
{
    options = CheckBenchOptions.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}

var machine = MachineInfo.Detect();
machine.PrintHeader("Checks benchmark", options.IsDefaultSize);

var work = Directory.CreateTempSubdirectory("sluice-bench-checks-").FullName;
try
{
    // A check's cost must follow its table: the small case guards the first hour of a project
    // as the large one guards a warehouse's daily run.
    var results = new List<ChecksResult>();
    foreach (var (rows, goal) in new[] { (options.SmallRows, ChecksReport.SmallGoal), (options.Rows, ChecksReport.Goal) })
    {
        Console.WriteLine();
        Console.WriteLine($"Fifty checks over {Format.Count(rows)} rows on DuckDB");
        results.Add(await ChecksBenchmark.RunAsync(Path.Combine(work, rows.ToString(System.Globalization.CultureInfo.InvariantCulture)), rows, goal, options));
    }

    var report = new ChecksReport(machine, options, ProcFiles.LoadAverage(), results);
    Console.WriteLine();
    Console.WriteLine(report.Render());
    if (options.WritePath is { } path)
    {
        MarkdownSection.Write(path, ChecksReport.SectionName, report.Render());
        Console.WriteLine($"Wrote the \"Checks\" section of {path}");
    }

    // Missing the goal is a finding to report; wrong failing counts are a failure.
    return results.All(r => r.Verified) ? 0 : 1;
}
finally
{
    Directory.Delete(work, recursive: true);
}
