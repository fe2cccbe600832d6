using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace PbxHub.IntegrationTests.Infrastructure;

/// <summary>
/// A PostgreSQL cluster of the test's own, in a temporary folder, that the test may stop, start, freeze and thaw
/// (the suite's shared cluster must stay up for the other tests). As scripts/throwaway-postgres.sh does, it runs
/// the server binaries of /usr/lib/postgresql, as user postgres when the tests run as root.
/// </summary>
internal sealed class OwnPostgres : IAsyncDisposable
{
    private readonly string bin;
    private readonly string folder;
    private readonly int port;

    private OwnPostgres(string bin, string folder, int port)
    {
        this.bin = bin;
        this.folder = folder;
        this.port = port;
    }

    public string ConnectionString => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1", Port = port, Username = "postgres", Database = "postgres", Timeout = 3,
    }.ToString();

    public static async Task<OwnPostgres> StartAsync()
    {
        var bin = Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin"))
            .Where(d => File.Exists(Path.Combine(d, "initdb"))).OrderBy(d => d, StringComparer.Ordinal).LastOrDefault()
            ?? throw new InvalidOperationException("No PostgreSQL server binaries in /usr/lib/postgresql (scripts/throwaway-postgres.sh installs them).");
        var folder = Directory.CreateTempSubdirectory("pbxhub-own-pg-").FullName;
        if (Environment.UserName == "root")
        {
            await RunAsync("chown", "postgres", folder);
        }

        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var postgres = new OwnPostgres(bin, folder, port);
        await postgres.AsServerAsync("initdb", "-D", postgres.Data, "-U", "postgres", "--auth=trust", "-E", "UTF8");
        await postgres.StartAgainAsync();
        return postgres;
    }

    private string Data => Path.Combine(folder, "data");

    /// <summary>Starts the stopped server on the same port and data.</summary>
    public Task StartAgainAsync() => AsServerAsync("pg_ctl", "-D", Data, "-l", Path.Combine(folder, "log"), "-w", "start",
        "-o", $"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off");

    /// <summary>Stops the server (fast shutdown: sessions are ended, connections refused from then on).</summary>
    public Task StopAsync() => AsServerAsync("pg_ctl", "-D", Data, "-m", "fast", "-w", "stop");

    /// <summary>Freezes every process of the server (SIGSTOP): connections stay open, nothing answers.</summary>
    public Task FreezeAsync() => SignalAllAsync("STOP");

    public Task ThawAsync() => SignalAllAsync("CONT");

    private async Task SignalAllAsync(string signal)
    {
        var postmaster = File.ReadLines(Path.Combine(Data, "postmaster.pid")).First().Trim();
        var children = (await RunAsync("pgrep", "-P", postmaster)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        // Frozen, the postmaster cannot end its children: it is stopped first and thawed last. A child may still end on
        // its own between pgrep and kill (its session closed), which kill reports as "No such process".
        string[] order = signal == "CONT" ? [.. children, postmaster] : [postmaster, .. children];
        foreach (var pid in order)
        {
            await RunAsync("kill", "-" + signal, pid).ContinueWith(
                t => t.Exception?.InnerException is InvalidOperationException gone && gone.Message.Contains("No such process", StringComparison.Ordinal) && pid != postmaster
                    ? "" : t.GetAwaiter().GetResult(),
                TaskScheduler.Default);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (File.Exists(Path.Combine(Data, "postmaster.pid")))
        {
            try
            {
                await ThawAsync();
            }
            finally
            {
                await AsServerAsync("pg_ctl", "-D", Data, "-m", "immediate", "stop");
            }
        }

        Directory.Delete(folder, recursive: true);
    }

    private Task<string> AsServerAsync(string program, params string[] args) => Environment.UserName == "root"
        ? RunAsync("runuser", ["-u", "postgres", "--", Path.Combine(bin, program), .. args])
        : RunAsync(Path.Combine(bin, program), args);

    private static async Task<string> RunAsync(string program, params string[] args)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0 && program != "pgrep")
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', args)} exited with {process.ExitCode}: {await error}");
        }

        return await output;
    }
}
