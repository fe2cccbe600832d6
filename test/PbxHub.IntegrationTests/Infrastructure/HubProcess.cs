using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;

namespace PbxHub.IntegrationTests.Infrastructure;

/// <summary>
/// The real <c>pbxhub</c> executable as a child process (<c>dotnet pbxhub.dll …</c>): the service as
/// deployments run it, which a test can kill with SIGKILL, and the command-line verbs.
/// </summary>
internal sealed class HubProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly StringBuilder output = new();

    private HubProcess(Process process, string baseUrl, string? apiKey)
    {
        this.process = process;
        BaseUrl = baseUrl;
        Client = new HttpClient { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromSeconds(15) };
        if (apiKey is not null)
        {
            Client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        }
    }

    /// <summary>pbxhub.dll, copied next to the tests by the project reference.</summary>
    public static string DllPath => Path.Combine(AppContext.BaseDirectory, "pbxhub.dll");

    public string BaseUrl { get; }

    /// <summary>An HTTP client on the child's address, with the API key given at start (if any).</summary>
    public HttpClient Client { get; }

    public bool HasExited => process.HasExited;

    /// <summary>The hook path of the test account "demo" (see <see cref="DemoEnvironment"/>).</summary>
    public string HookPath => $"/hooks/{HubServer.AccountId}/{HubServer.Secret}";

    /// <summary>What the child printed so far (stdout and stderr), for failure messages.</summary>
    public string Output
    {
        get
        {
            lock (output)
            {
                return output.ToString();
            }
        }
    }

    public static string NewDataDirectory() => Path.Combine(Path.GetTempPath(), "pbxhub-tests", Guid.NewGuid().ToString("n"));

    /// <summary>Environment variables declaring the test account "demo" and an API key, as deployments write them.</summary>
    public static Dictionary<string, string> DemoEnvironment() => new()
    {
        ["PbxHub__Accounts__0__Id"] = HubServer.AccountId,
        ["PbxHub__Accounts__0__Provider"] = "sipuni",
        ["PbxHub__Accounts__0__Secret"] = HubServer.Secret,
        ["PbxHub__Accounts__0__TimeZone"] = "Europe/Moscow",
        ["PbxHub__Accounts__0__Sipuni__UserNumber"] = "012345",
        ["PbxHub__ApiKeys__0"] = HubServer.ApiKey,
    };

    /// <summary>
    /// Starts <c>pbxhub serve --data DIR --urls http://127.0.0.1:PORT [extra]</c> and waits until /healthz answers.
    /// </summary>
    public static async Task<HubProcess> StartAsync(
        string dataDirectory, IDictionary<string, string> environment, string? apiKey = HubServer.ApiKey,
        IEnumerable<string>? extraArgs = null, TimeSpan? startTimeout = null)
    {
        var baseUrl = $"http://127.0.0.1:{FreePort()}";
        var args = new List<string> { "serve", "--data", dataDirectory, "--urls", baseUrl };
        args.AddRange(extraArgs ?? []);
        return await StartVerbAsync(args, baseUrl, environment, apiKey, startTimeout);
    }

    /// <summary>Starts a verb that serves on <paramref name="baseUrl"/> (<c>serve</c>, <c>demo</c>) and waits until /healthz answers.</summary>
    public static async Task<HubProcess> StartVerbAsync(
        IReadOnlyList<string> args, string baseUrl, IDictionary<string, string> environment, string? apiKey = null, TimeSpan? startTimeout = null)
    {
        var process = Create(args, environment);
        var hub = new HubProcess(process, baseUrl, apiKey);
        process.OutputDataReceived += (_, e) => hub.Append(e.Data);
        process.ErrorDataReceived += (_, e) => hub.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await hub.WaitHealthyAsync(startTimeout ?? TimeSpan.FromSeconds(30));
        }
        catch
        {
            await hub.DisposeAsync();
            throw;
        }

        return hub;
    }

    /// <summary>Kills the service the hard way: SIGKILL on Linux, no shutdown code runs.</summary>
    public async Task KillAsync()
    {
        if (!process.HasExited)
        {
            process.Kill();
        }

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        await process.WaitForExitAsync(cts.Token);
    }

    /// <summary>
    /// Stops the service as a service manager does (SIGTERM) and waits until it has exited and its output has been read
    /// to the end: then <see cref="Output"/> is all it will ever print, and what is not in it was not printed.
    /// </summary>
    public async Task<string> StopAsync()
    {
        using (var term = Process.Start(new ProcessStartInfo("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))!)
        {
            await term.WaitForExitAsync();
        }

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(cts.Token);
        return Output;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            await process.WaitForExitAsync(cts.Token);
        }
        catch (InvalidOperationException)
        {
            // Never started.
        }

        process.Dispose();
    }

    /// <summary>Runs one command-line verb to its end: exit code, stdout, stderr.</summary>
    public static async Task<CliResult> RunAsync(IEnumerable<string> args, TimeSpan? timeout = null, IDictionary<string, string>? environment = null)
    {
        using var process = Create(args, environment ?? new Dictionary<string, string>());
        process.Start();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"pbxhub {string.Join(' ', args)} did not finish in time");
        }

        return new CliResult(process.ExitCode, await stdout, await stderr);
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>
    /// A <c>pbxhub</c> child process, not started: its engine settings follow <c>--data</c> as for the others, and
    /// <paramref name="environment"/> comes on top. For a test that starts it and kills it at a moment of its choosing.
    /// </summary>
    public static Process Create(IEnumerable<string> args, IDictionary<string, string> environment)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        psi.ArgumentList.Add(DllPath);
        foreach (var arg in args)
        {
            psi.ArgumentList.Add(arg);
        }

        psi.Environment["Logging__LogLevel__Default"] = "Warning";
        psi.Environment["DOTNET_NOLOGO"] = "1";
        var list = args.ToList();
        if (list.IndexOf("--data") is var at and >= 0 && at + 1 < list.Count)
        {
            foreach (var (key, value) in TestStorage.EnvironmentFor(list[at + 1]))
            {
                psi.Environment[key] = value;
            }
        }

        foreach (var (key, value) in environment)
        {
            psi.Environment[key] = value;
        }

        return new Process { StartInfo = psi };
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
        }
    }

    private async Task WaitHealthyAsync(TimeSpan timeout)
    {
        using var probe = new HttpClient { BaseAddress = new Uri(BaseUrl), Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"pbxhub exited with {process.ExitCode} before it was healthy:\n{Output}");
            }

            try
            {
                using var response = await probe.GetAsync("/healthz");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet.
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"pbxhub was not healthy within {timeout}:\n{Output}");
    }
}

internal sealed record CliResult(int ExitCode, string Stdout, string Stderr)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout ---\n{Stdout}\n--- stderr ---\n{Stderr}";
}
