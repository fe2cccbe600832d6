using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;
using PbxHub.Logging;

namespace PbxHub.Tests.Logging;

/// <summary>The registration puts each console formatter the host knows behind the masking, the JSON one included.</summary>
public sealed class MaskingConsoleFormatterTests
{
    private static ConsoleFormatter Formatter(string name, bool? maskPhoneNumbers = null)
    {
        var settings = new Dictionary<string, string?>();
        if (maskPhoneNumbers is { } mask)
        {
            settings["PbxHub:Logging:MaskPhoneNumbers"] = mask ? "true" : "false";
        }

        var services = new ServiceCollection();
        services.AddLogging(logging => logging.AddConsole());
        services.AddLogMasking(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        return services.BuildServiceProvider().GetServices<ConsoleFormatter>().Single(f => f.Name == name);
    }

    private static string Write(ConsoleFormatter formatter, Exception? exception = null)
    {
        var state = new Dictionary<string, object?> { ["Path"] = "/hooks/demo/s3cret-demo-secret", ["From"] = "79161234567", ["Count"] = 2500000 };
        var entry = new LogEntry<IReadOnlyList<KeyValuePair<string, object?>>>(
            LogLevel.Warning, "PbxHub.Test", new EventId(123456786), state.ToList(), exception,
            (s, _) => $"Hook {s[0].Value} from {s[1].Value} stored");
        using var writer = new StringWriter();
        formatter.Write(entry, null, writer);
        return writer.ToString();
    }

    [Fact]
    public void Write_SimpleFormatterWithException_MessageAndExceptionMasked()
    {
        var text = Write(Formatter(ConsoleFormatterNames.Simple), new InvalidOperationException("bad body Authorization: G7bng65jYk8GF294 src_num=79161234567"));

        Assert.Contains("PbxHub.Test[123456786]", text, StringComparison.Ordinal);
        Assert.Contains("Hook /hooks/demo/*** from 7******4567 stored", text, StringComparison.Ordinal);
        Assert.Contains("bad body Authorization: *** src_num=7******4567", text, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", text, StringComparison.Ordinal);
        Assert.DoesNotContain("G7bng65jYk8GF294", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_JsonFormatter_ValidJsonWithMaskedStateAndNumbersKept()
    {
        var text = Write(Formatter(ConsoleFormatterNames.Json));

        using var json = JsonDocument.Parse(text);
        Assert.Equal(123456786, json.RootElement.GetProperty("EventId").GetInt32());
        Assert.Equal("Hook /hooks/demo/*** from 7******4567 stored", json.RootElement.GetProperty("Message").GetString());
        var state = json.RootElement.GetProperty("State");
        Assert.Equal("7******4567", state.GetProperty("From").GetString());
        Assert.Equal("/hooks/demo/***", state.GetProperty("Path").GetString());
        Assert.Equal(2500000, state.GetProperty("Count").GetInt32()); // the formatter's own numbers stay numbers
    }

    [Fact]
    public void Write_MaskPhoneNumbersFalse_NumbersShownSecretsHidden()
    {
        var text = Write(Formatter(ConsoleFormatterNames.Systemd, maskPhoneNumbers: false));

        Assert.Contains("Hook /hooks/demo/*** from 79161234567 stored", text, StringComparison.Ordinal);
    }
}
