using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;

namespace PbxHub.IntegrationTests.Fuzzing;

/// <summary>Everything the hub logs at Warning and above (the hub's configured level in tests), kept for assertions.</summary>
internal sealed class CapturedLogs : ILoggerProvider
{
    public sealed record Entry(LogLevel Level, string Category, string Message, Exception? Exception)
    {
        public override string ToString() => $"{Level} {Category}: {Message}{(Exception is null ? "" : "\n" + Exception)}";
    }

    private readonly ConcurrentQueue<Entry> entries = new();

    public IReadOnlyList<Entry> Entries => [.. entries];

    /// <summary>Entries that tell of an exception the hub did not handle as an answer: errors, or anything carrying an exception.</summary>
    public IReadOnlyList<Entry> Unhandled => Entries.Where(e => e.Level >= LogLevel.Error || e.Exception is not null).ToList();

    public void AddTo(WebApplicationBuilder builder) => builder.Logging.AddProvider(this);

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(CapturedLogs owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner.entries.Enqueue(new Entry(logLevel, category, formatter(state, exception), exception));
    }
}
