using Sluice.Bench;

TeeiBenchOptions options;
try
{
    options = TeeiBenchOptions.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}

var machine = MachineInfo.Detect();
machine.PrintHeader("TEEI load benchmark", options.IsDefaultSize);

var work = Directory.CreateTempSubdirectory("sluice-bench-teei-").FullName;
try
{
    var results = await TeeiLoadBenchmark.RunAsync(work, options);
    var report = new TeeiLoadReport(machine, options, ProcFiles.LoadAverage(), results) { Examples = results.Count > 0 ? results[0].Examples : [] };
    Console.WriteLine();
    Console.WriteLine(report.Render());
    if (options.WritePath is { } path)
    {
        MarkdownSection.Write(path, TeeiLoadReport.SectionName, report.Render());
        Console.WriteLine($"Wrote the \"TEEI load\" section of {path}");
    }

    // Missing a goal is a finding to report; errors and warnings are a failure.
    return results.All(r => r.Problems.Count == 0) ? 0 : 1;
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
