using Microsoft.Playwright;

namespace Sluice.Bench;

/// <summary>
/// Debian's chromium (or the one SLUICE_CHROMIUM names), headless, through Playwright. Playwright
/// never downloads a browser here: the figures are of the browser users of the package get.
/// </summary>
internal sealed class HeadlessChromium : IAsyncDisposable
{
    private const string Variable = "SLUICE_CHROMIUM";

    // No sandbox (containers), no GPU (headless servers), and none of chromium's calls to Google's
    // services, which would add their own traffic and failures to the measured loads.
    private static readonly string[] Flags =
    [
        "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ];

    private readonly IPlaywright _playwright;

    private HeadlessChromium(IPlaywright playwright, IBrowser browser) => (_playwright, Browser) = (playwright, browser);

    public IBrowser Browser { get; }

    public string Version => Browser.Version;

    public static string ExecutablePath => Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } path ? path : "/usr/bin/chromium";

    public static async Task<HeadlessChromium> LaunchAsync()
    {
        var path = ExecutablePath;
        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"No chromium at {path}: install Debian's (`apt-get install chromium`) or set {Variable} to a chromium executable.");
        }

        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        var playwright = await Playwright.CreateAsync();
        try
        {
            var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = path, Headless = true, Args = Flags, Timeout = 60_000 });
            return new HeadlessChromium(playwright, browser);
        }
        catch
        {
            playwright.Dispose();
            throw;
        }
    }

    /// <summary>A new context: its own empty HTTP cache, cookies and storage, like a new visitor.</summary>
    public Task<IBrowserContext> NewContextAsync(Uri server) => Browser.NewContextAsync(new BrowserNewContextOptions
    {
        BaseURL = server.ToString(),
        ViewportSize = new ViewportSize { Width = 1440, Height = 900 },
    });

    public async ValueTask DisposeAsync()
    {
        await Browser.DisposeAsync();
        _playwright.Dispose();
    }
}
