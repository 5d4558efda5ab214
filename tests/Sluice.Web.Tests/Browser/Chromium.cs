using Microsoft.Playwright;

namespace Sluice.Web.Tests.Browser;

/// <summary>
/// Debian's chromium, driven by Playwright, which is never allowed to fetch a browser of its own:
/// the executable is /usr/bin/chromium, or the one SLUICE_CHROMIUM names.
/// </summary>
public static class Chromium
{
    /// <summary>The environment variable that names another chromium executable.</summary>
    public const string Variable = "SLUICE_CHROMIUM";

    // Without the background-networking flags chromium keeps calling Google's services, which on
    // a closed network means a flood of failing connections and slow, noisy pages.
    private static readonly string[] Arguments =
    [
        "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync",
    ];

    /// <summary>The chromium executable the tests run.</summary>
    public static string ExecutablePath => Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } path ? path : "/usr/bin/chromium";

    /// <summary>Starts headless chromium, or fails with what to install (a failure, never a skip, under CI=true too).</summary>
    public static async Task<(IPlaywright Playwright, IBrowser Browser)> LaunchAsync()
    {
        var path = ExecutablePath;
        if (!File.Exists(path))
        {
            throw new InvalidOperationException(
                $"chromium is not at {path}: the browser tests drive Debian's chromium (run ./test.sh as root to install it, or `sudo apt-get install chromium`), or set {Variable} to a chromium executable.");
        }

        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        var playwright = await Playwright.CreateAsync();
        try
        {
            var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = path,
                Headless = true,
                Args = Arguments,
                Timeout = 60_000,
            });
            return (playwright, browser);
        }
        catch
        {
            playwright.Dispose();
            throw;
        }
    }
}
