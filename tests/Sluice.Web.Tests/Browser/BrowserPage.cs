using Microsoft.Playwright;
using Sluice.Web.Tests.Hook;

namespace Sluice.Web.Tests.Browser;

/// <summary>
/// A page of one test in its own browser context: the clock held at a given moment, UTC, the
/// page's console errors, uncaught errors and API requests recorded, and a screenshot saved when
/// the test is done (an artifact for people, never an assertion).
/// </summary>
public sealed class BrowserPage : IAsyncDisposable
{
    private readonly IBrowserContext _context;
    private readonly string _test;
    private readonly List<string> _errors = [];
    private readonly List<Uri> _requests = [];

    private BrowserPage(IBrowserContext context, IPage page, string test)
    {
        _context = context;
        Page = page;
        _test = test;
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                lock (_errors)
                {
                    _errors.Add($"console: {message.Text} ({message.Location})");
                }
            }
        };
        page.PageError += (_, error) =>
        {
            lock (_errors)
            {
                _errors.Add($"page error: {error}");
            }
        };
        page.Request += (_, request) =>
        {
            var url = new Uri(request.Url);
            if (url.AbsolutePath.StartsWith("/api/", StringComparison.Ordinal))
            {
                lock (_requests)
                {
                    _requests.Add(url);
                }
            }
        };
    }

    public IPage Page { get; }

    /// <summary>The hook the web app keeps for tests (<c>window.__sluice</c>).</summary>
    public DashboardHook Hook => new(Page);

    /// <summary>What went to the console as an error, and uncaught errors, so far.</summary>
    public IReadOnlyList<string> Errors
    {
        get
        {
            lock (_errors)
            {
                return [.. _errors];
            }
        }
    }

    /// <summary>The API requests the page has made so far, in order.</summary>
    public IReadOnlyList<Uri> Requests
    {
        get
        {
            lock (_requests)
            {
                return [.. _requests];
            }
        }
    }

    /// <summary>
    /// Opens a page of <paramref name="browser"/>, <paramref name="width"/> by <paramref name="height"/>
    /// pixels, whose clock shows <paramref name="now"/>; its screenshot is saved as <paramref name="test"/>.png;
    /// every request sends <paramref name="headers"/> (an API key) when given.
    /// </summary>
    public static async Task<BrowserPage> OpenAsync(IBrowser browser, DateTimeOffset now, string test, int width = 1440, int height = 1000, IDictionary<string, string>? headers = null)
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = width, Height = height },
            TimezoneId = "UTC",
            Locale = "en-US",
            AcceptDownloads = true,
            ExtraHTTPHeaders = headers,
        });
        context.SetDefaultTimeout(60_000);
        var page = await context.NewPageAsync();
        // Date.now() stays at this moment; timers keep running, so the app works as usual.
        await page.Clock.SetFixedTimeAsync(now.UtcDateTime);
        return new BrowserPage(context, page, test);
    }

    /// <summary>Fails with every console and page error recorded, except those containing one of <paramref name="expected"/>.</summary>
    public void AssertNoErrors(params string[] expected)
    {
        var unexpected = Errors.Where(e => !expected.Any(x => e.Contains(x, StringComparison.Ordinal))).ToList();
        Assert.True(unexpected.Count == 0, $"the page logged errors:\n{string.Join("\n", unexpected)}");
    }

    /// <summary>Saves a screenshot of the whole page to <paramref name="path"/>.</summary>
    public Task ScreenshotAsync(string path) => Page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });

    public async ValueTask DisposeAsync()
    {
        try
        {
            await ScreenshotAsync(Path.Combine(Artifacts.Screenshots, $"{_test}.png"));
        }
        catch (PlaywrightException)
        {
            // A page that crashed or closed has nothing to show; the test says why.
        }

        await _context.CloseAsync();
    }
}
