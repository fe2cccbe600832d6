using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace PbxHub.Logging;

/// <summary>
/// Wraps one of the console's formatters (simple, json, systemd) under its own name: the entry is
/// formatted as the inner formatter would, then masked, then written. Scopes and exception text go
/// through the same masking as the message.
/// </summary>
internal sealed class MaskingConsoleFormatter(ConsoleFormatter inner, IOptionsMonitor<LoggingOptions> options) : ConsoleFormatter(inner.Name)
{
    [ThreadStatic]
    private static StringWriter? buffer;

    private readonly bool json = inner.Name == ConsoleFormatterNames.Json;

    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        var writer = buffer ??= new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
        writer.GetStringBuilder().Clear();
        inner.Write(logEntry, scopeProvider, writer);
        textWriter.Write(LogMasking.Mask(writer.ToString(), options.CurrentValue.MaskPhoneNumbers, json));
        if (writer.GetStringBuilder().Capacity > 64 * 1024)
        {
            buffer = null; // Do not keep a huge exception's buffer for the thread's lifetime.
        }
    }
}
