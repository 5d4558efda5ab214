using Sluice.Bench;

ScaleOptions options;
try
{
    options = ScaleOptions.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}

var machine = MachineInfo.Detect();
machine.PrintHeader("Scale benchmark", options.IsDefaultSize);

var work = Directory.CreateTempSubdirectory("sluice-bench-scale-").FullName;
try
{
    var result = await ScaleBenchmark.RunAsync(work, options);
    var report = new ScaleReport(machine, options, ProcFiles.LoadAverage(), result);
    Console.WriteLine();
    Console.WriteLine(report.Render());
    if (options.WritePath is { } path)
    {
        MarkdownSection.Write(path, ScaleReport.SectionName, report.Render());
        Console.WriteLine($"Wrote the \"Scale\" section of {path}");
    }

    // Slow answers are findings to report; different answers from different engines are a failure.
    return result.Mismatches.Count == 0 ? 0 : 1;
}
catch (Exception e) when (e is InvalidOperationException or HttpRequestException or Sluice.Core.Project.SluiceException)
{
    Console.Error.WriteLine(e.Message);
    return 1;
}
finally
{
    Directory.Delete(work, recursive: true);
}
