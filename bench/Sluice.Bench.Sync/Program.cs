using Sluice.Bench;
using Sluice.Testing;

SyncBenchOptions options;
try
{
    options = SyncBenchOptions.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}

var machine = MachineInfo.Detect();
machine.PrintHeader("sluice sync benchmark", options.IsDefaultSize);

await using var server = await PostgresServer.StartPrivateAsync();
var source = await BenchSource.CreateAsync(server);
var postgresVersion = await source.ScalarAsync("select version()");
Console.WriteLine($"  {postgresVersion}");
Console.WriteLine();
Console.WriteLine("Creating the source tables");
const string Timed = "emails";
const string Small = "emails_small";
const string Large = "emails_large";
const string DuckDbMemoryLimit = "128MB";
await source.CreateTableAsync(Timed, options.Rows);
await source.CreateTableAsync(Small, options.SmallRows);
await source.CreateTableAsync(Large, options.LargeRows);

var timings = new List<WarehouseTimings>();
var memory = new List<MemoryRun>();
foreach (var warehouse in new[] { "duckdb", "postgres" })
{
    Console.WriteLine();
    Console.WriteLine($"PostgreSQL → {warehouse}: full and incremental syncs of {Format.Count(options.Rows)} rows");
    timings.Add(await new SyncTimings(server, source, Timed, warehouse, options).RunAsync());
    Console.WriteLine($"PostgreSQL → {warehouse}: peak memory of the sluice process");
    var child = new SyncMemory(source, options);
    memory.Add(await child.RunAsync(warehouse, Small, options.SmallRows));
    memory.Add(await child.RunAsync(warehouse, Large, options.LargeRows));
    if (warehouse == "duckdb")
    {
        // DuckDB keeps written blocks cached up to its memory limit (80 % of RAM by default).
        memory.Add(await child.RunAsync(warehouse, Small, options.SmallRows, DuckDbMemoryLimit));
        memory.Add(await child.RunAsync(warehouse, Large, options.LargeRows, DuckDbMemoryLimit));
    }
}

var report = new SyncReport(machine, options, postgresVersion, ProcFiles.LoadAverage(), timings, memory);
Console.WriteLine();
Console.WriteLine(report.Render());
if (options.WritePath is { } path)
{
    MarkdownSection.Write(path, SyncReport.SectionName, report.Render());
    Console.WriteLine($"Wrote the \"Sync\" section of {path}");
}

// Missing a goal is a finding to report, not a failure of the benchmark.
return 0;
