using Sluice.Bench;

ModelBenchOptions options;
try
{
    options = ModelBenchOptions.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}

var machine = MachineInfo.Detect();
machine.PrintHeader("Models benchmark", options.IsDefaultSize);

var work = Directory.CreateTempSubdirectory("sluice-bench-models-").FullName;
try
{
    Console.WriteLine();
    Console.WriteLine($"A generated project of {Format.Count(options.Models)} models on DuckDB");
    var dag = await DagBenchmark.RunAsync(Path.Combine(work, "dag"), options);
    Console.WriteLine();
    Console.WriteLine($"Backfill of {options.Days} daily partitions over {Format.Count(options.FactRows)} rows on DuckDB");
    var backfill = await BackfillBenchmark.RunAsync(Path.Combine(work, "backfill"), options);

    var report = new ModelsReport(machine, options, ProcFiles.LoadAverage(), dag, backfill);
    Console.WriteLine();
    Console.WriteLine(report.Render());
    if (options.WritePath is { } path)
    {
        MarkdownSection.Write(path, ModelsReport.SectionName, report.Render());
        Console.WriteLine($"Wrote the \"Models\" section of {path}");
    }

    // Missing a goal is a finding to report, not a failure; wrong totals are a failure.
    return backfill.Verified ? 0 : 1;
}
finally
{
    Directory.Delete(work, recursive: true);
}
