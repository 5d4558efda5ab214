using Sluice.Bench;

BenchOptions options;
try
{
    options = BenchOptions.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}

var machine = MachineInfo.Detect();
using var databases = new BenchDatabase();
ConsoleReport.Header(machine, options, databases);

// Memory runs first so that its baseline does not carry the other parts' heaps and buffers.
ConsoleReport.Part(1, "Memory: connection open / query / dispose cycles");
Console.WriteLine("    one long-lived connection stays open for the whole loop, so the database instance is shared, as in the server");
var memory = new MemoryBenchmark(databases, options).Run();

ConsoleReport.Part(2, "Read: DuckDbDataReader into typed values");
var read = new ReadBenchmark(databases, options).Run();

ConsoleReport.Part(3, "Append: DuckDbAppender into a fresh table in a file");
var appendFile = new AppendBenchmark(databases, options, inMemory: false).Run();

ConsoleReport.Part(4, "Append: DuckDbAppender into a fresh table in memory");
var appendMemory = new AppendBenchmark(databases, options, inMemory: true).Run();

var results = new BenchResults(machine, options, databases.Threads, ProcFiles.LoadAverage(), read, appendFile, appendMemory, memory);
ConsoleReport.Summary(results);

if (options.WritePath is { } path)
{
    MarkdownSection.Write(path, MarkdownReport.SectionName, MarkdownReport.Render(results));
    Console.WriteLine();
    Console.WriteLine($"Wrote the \"DuckDB binding\" section of {path}");
}

// Missing a goal is a finding to report, not a failure of the benchmark.
return 0;
