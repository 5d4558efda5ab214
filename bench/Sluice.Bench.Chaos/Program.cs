using Sluice.Bench;
using Sluice.Bench.Chaos;

ChaosOptions options;
try
{
    options = ChaosOptions.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}

var machine = MachineInfo.Detect();
machine.PrintHeader("Chaos suite", options.IsDefaultSize);
Console.WriteLine();
var result = await ChaosRun.RunAsync(options);
var report = new ChaosReport(machine, options, ProcFiles.LoadAverage(), result);
Console.WriteLine();
Console.WriteLine(report.Render());
if (options.WritePath is { } path)
{
    MarkdownSection.Write(path, ChaosReport.SectionName, report.Render());
    Console.WriteLine($"Wrote the \"Chaos\" section of {path}");
}

return result.Failed == 0 ? 0 : 1;
