using System.Diagnostics;
using System.Net.Sockets;
using PbxHub.IntegrationTests.Infrastructure;

namespace PbxHub.IntegrationTests.Cli;

/// <summary><c>pbxhub emulate uis|evrotel|bitrix24|sipuni|amocrm</c> as a real process: it stops on Ctrl+C and SIGTERM and frees its port.</summary>
public sealed class EmulateCommandTests
{
    [Theory]
    [InlineData("uis", "TERM")]
    [InlineData("uis", "INT")]
    [InlineData("evrotel", "TERM")]
    [InlineData("evrotel", "INT")]
    [InlineData("bitrix24", "TERM")]
    [InlineData("bitrix24", "INT")]
    [InlineData("sipuni", "TERM")]
    [InlineData("sipuni", "INT")]
    [InlineData("amocrm", "TERM")]
    [InlineData("amocrm", "INT")]
    public async Task Emulate_Signal_ExitsAndASecondEmulatorGetsThePort(string provider, string signal)
    {
        var url = $"http://127.0.0.1:{HubProcess.FreePort()}";
        using (var first = await StartAsync(provider, url))
        {
            await SignalAsync(first.Process, signal);
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            try
            {
                await first.Process.WaitForExitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                first.Process.Kill(entireProcessTree: true);
                Assert.Fail($"pbxhub emulate {provider} did not exit within 15 s of SIG{signal}:\n{first.Output}");
            }

            Assert.True(first.Process.ExitCode == 0, $"exit {first.Process.ExitCode} after SIG{signal}:\n{first.Output}");
        }

        using var second = await StartAsync(provider, url);
        second.Process.Kill(entireProcessTree: true);
        await second.Process.WaitForExitAsync();
    }

    private static async Task<Emulator> StartAsync(string provider, string url)
    {
        var process = HubProcess.Create(["emulate", provider, "--urls", url], new Dictionary<string, string>());
        var emulator = new Emulator(process);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var port = new Uri(url).Port;
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(30))
        {
            Assert.False(process.HasExited, $"pbxhub emulate {provider} exited with {(process.HasExited ? process.ExitCode : 0)} on a port it should get:\n{emulator.Output}");
            if (emulator.Output.Contains(url, StringComparison.Ordinal) && await ListensAsync(port))
            {
                return emulator;
            }

            await Task.Delay(100);
        }

        process.Kill(entireProcessTree: true);
        throw new TimeoutException($"pbxhub emulate {provider} did not listen on {url}:\n{emulator.Output}");
    }

    private static async Task<bool> ListensAsync(int port)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync("127.0.0.1", port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>What a terminal's Ctrl+C (SIGINT) or a service manager's stop (SIGTERM) sends.</summary>
    private static async Task SignalAsync(Process target, string signal)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", ["-" + signal, target.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))!;
        await kill.WaitForExitAsync();
        Assert.Equal(0, kill.ExitCode);
    }

    private sealed class Emulator : IDisposable
    {
        private readonly System.Text.StringBuilder output = new();

        public Emulator(Process process)
        {
            Process = process;
            process.OutputDataReceived += (_, e) => Append(e.Data);
            process.ErrorDataReceived += (_, e) => Append(e.Data);
        }

        public Process Process { get; }

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

        public void Dispose()
        {
            if (!Process.HasExited)
            {
                Process.Kill(entireProcessTree: true);
            }

            Process.Dispose();
        }

        private void Append(string? line)
        {
            lock (output)
            {
                output.AppendLine(line);
            }
        }
    }
}
