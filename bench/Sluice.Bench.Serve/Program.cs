using Sluice.Bench;

ServeBenchOptions options;
try
{
    options = ServeBenchOptions.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}

var machine = MachineInfo.Detect();
machine.PrintHeader("Serve benchmark", options.IsDefaultSize);

var work = Directory.CreateTempSubdirectory("sluice-bench-serve-").FullName;
try
{
    Console.WriteLine();
    Console.WriteLine($"sluice serve over {Format.Count(options.Rows)} facts and {Format.Count(options.Events)} events on DuckDB");
    var result = await ServeBenchmark.RunAsync(work, options);
    var report = new ServeReport(machine, options, ProcFiles.LoadAverage(), result);
    Console.WriteLine();
    Console.WriteLine(report.Render());
    if (options.WritePath is { } path)
    {
        MarkdownSection.Write(path, ServeReport.SectionName, report.Render());
        Console.WriteLine($"Wrote the \"Serve\" section of {path}");
    }

    // Missing a goal is a finding to report; wrong answers are a failure.
    return result.Mismatches.Count == 0 ? 0 : 1;
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
