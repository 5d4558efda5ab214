using Sluice.Bench;

DashboardBenchOptions options;
try
{
    options = DashboardBenchOptions.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}

var machine = MachineInfo.Detect();
machine.PrintHeader("Dashboards benchmark", options.IsDefaultSize);

var work = Directory.CreateTempSubdirectory("sluice-bench-dashboards-").FullName;
try
{
    Console.WriteLine();
    Console.WriteLine($"sluice demo --no-serve --days {options.Days}, then the {options.Dashboard} dashboard in headless chromium");
    var prepare = await DemoProject.PrepareAsync(options.Sluice!, work, options.Days);
    Console.WriteLine($"  demo prepared in {Format.Seconds(prepare)}");
    await using var served = await ServedDashboard.StartAsync(options.Sluice!, work, options.Dashboard);
    await using var chromium = await HeadlessChromium.LaunchAsync();
    Console.WriteLine($"  served at {served.Address}; {served.Panels.Count} panels query the API; chromium {chromium.Version}");
    var result = await DashboardBenchmark.RunAsync(served, chromium, options, prepare);
    var report = new DashboardReport(machine, options, ProcFiles.LoadAverage(), result);
    Console.WriteLine();
    Console.WriteLine(report.Render());
    Console.WriteLine($"Goals: cold < 2 s {Format.Verdict(report.ColdPasses)}, cached < 1 s {Format.Verdict(report.CachedPasses)}, JS + CSS < 400 KB gzip {Format.Verdict(report.WeightPasses)}");
    if (options.WritePath is { } path)
    {
        MarkdownSection.Write(path, DashboardReport.SectionName, report.Render());
        Console.WriteLine($"Wrote the \"Dashboards\" section of {path}");
    }

    // Missing a goal is a finding to report; a panel in error or a failed request is a failure.
    return 0;
}
catch (Exception e) when (e is InvalidOperationException or HttpRequestException or Microsoft.Playwright.PlaywrightException or TimeoutException)
{
    Console.Error.WriteLine(e.Message);
    return 1;
}
finally
{
    Directory.Delete(work, recursive: true);
}
