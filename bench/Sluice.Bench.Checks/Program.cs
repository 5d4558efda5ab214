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
    Console.WriteLine();
    Console.WriteLine($"Fifty checks over {Format.Count(options.Rows)} rows on DuckDB");
    var result = await ChecksBenchmark.RunAsync(work, options);
    var report = new ChecksReport(machine, options, ProcFiles.LoadAverage(), result);
    Console.WriteLine();
    Console.WriteLine(report.Render());
    if (options.WritePath is { } path)
    {
        MarkdownSection.Write(path, ChecksReport.SectionName, report.Render());
        Console.WriteLine($"Wrote the \"Checks\" section of {path}");
    }

    // Missing the goal is a finding to report; wrong failing counts are a failure.
    return result.Verified ? 0 : 1;
}
finally
{
    Directory.Delete(work, recursive: true);
}
