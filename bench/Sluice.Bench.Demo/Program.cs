using Sluice.Bench;

DemoBenchOptions options;
try
{
    options = DemoBenchOptions.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}

var machine = MachineInfo.Detect();
machine.PrintHeader("Demo benchmark", options.IsDefaultSize);

var work = Directory.CreateTempSubdirectory("sluice-bench-demo-").FullName;
try
{
    Console.WriteLine();
    var results = new List<DemoResult>();
    foreach (var example in new[] { "applylens", "aivo" })
    {
        Console.WriteLine($"sluice demo {example} --no-serve with {options.Days} days of data");
        results.Add(await DemoBenchmark.RunAsync(work, options, example));
    }

    var report = new DemoReport(machine, options, ProcFiles.LoadAverage(), results);
    Console.WriteLine();
    Console.WriteLine(report.Render());
    if (options.WritePath is { } path)
    {
        MarkdownSection.Write(path, DemoReport.SectionName, report.Render());
        Console.WriteLine($"Wrote the \"Demo\" section of {path}");
    }

    // Missing the goal is a finding to report; a failing demo or check is a failure.
    return results.All(r => r.ChecksPassed == r.Checks) ? 0 : 1;
}
catch (InvalidOperationException e)
{
    Console.Error.WriteLine(e.Message);
    return 1;
}
finally
{
    Directory.Delete(work, recursive: true);
}
