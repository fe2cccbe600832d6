using System.Diagnostics;
using Microsoft.Playwright;

namespace PbxHub.IntegrationTests.Dashboard;

/// <summary>
/// One Chromium for the dashboard tests: Debian's, since Playwright cannot download its own here. It is
/// installed with apt-get when absent (the tests run as root), and a failed install says so plainly.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private IPlaywright? playwright;

    public IBrowser Browser { get; private set; } = default!;

    /// <summary>Where the screenshots of every page go (kept as test artifacts).</summary>
    public static string ScreenshotFolder { get; } = Path.Combine(AppContext.BaseDirectory, "TestResults", "screenshots");

    public async Task InitializeAsync()
    {
        EnsureChromium();
        Directory.CreateDirectory(ScreenshotFolder);
        Console.WriteLine($"Dashboard screenshots: {ScreenshotFolder}");
        playwright = await Playwright.CreateAsync();
        Browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        playwright?.Dispose();
    }

    private static void EnsureChromium()
    {
        if (File.Exists(ChromiumPath))
        {
            return;
        }

        // A fresh machine may have no package lists yet: update once if the first attempt fails.
        if (Run("apt-get", "install -y chromium") != 0 && (Run("apt-get", "update") != 0 || Run("apt-get", "install -y chromium") != 0))
        {
            throw new InvalidOperationException(
                $"Chromium is needed for the dashboard tests and is not at {ChromiumPath}; 'apt-get install -y chromium' failed (see the output above). Install it and run again.");
        }

        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException($"'apt-get install -y chromium' succeeded but {ChromiumPath} is still missing.");
        }
    }

    private static int Run(string file, string arguments)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(file, arguments)
            {
                RedirectStandardOutput = false, RedirectStandardError = false, UseShellExecute = false,
                Environment = { ["DEBIAN_FRONTEND"] = "noninteractive" },
            })!;
            process.WaitForExit();
            return process.ExitCode;
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            Console.WriteLine($"Could not run {file}: {ex.Message}");
            return -1;
        }
    }
}

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "Browser";
}
