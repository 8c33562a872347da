using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;

namespace LetsData.Runtime.Observability.Logging;

/// <summary>
/// The worker's log, in the supervisor and in every data-task process: one line per entry on standard error,
/// <c>HH:mm:ss info: Category[0] message</c> (the exception, if any, on the same line), Information and up. Written
/// here rather than set up through Microsoft.Extensions.Logging.Console because that set-up (a DI container, options,
/// a queue thread) was a measurable part of every process start, which <c>run --timings</c> shows per step.
/// </summary>
internal sealed class StandardErrorLoggers : ILoggerFactory
{
    private readonly TextWriter _error;
    private readonly LogLevel _minimum;
    private readonly bool _colors;

    /// <summary>A log to <paramref name="error"/> (standard error by default) of entries at <paramref name="minimum"/> and above.</summary>
    public StandardErrorLoggers(TextWriter? error = null, LogLevel minimum = LogLevel.Information)
    {
        _error = error ?? Console.Error;
        _minimum = minimum;
        // Colored levels on a terminal only: redirected logs (files, the supervisor's relay, tests) stay plain text.
        _colors = error is null && !Console.IsErrorRedirected;
    }

    public ILogger CreateLogger(string categoryName) => new CategoryLogger(this, categoryName);

    public void AddProvider(ILoggerProvider provider) =>
        throw new NotSupportedException("the worker's log writes to standard error only");

    public void Dispose()
    {
        // Every line is written when it is logged: nothing is queued.
    }

    private bool IsEnabled(LogLevel level) => level >= _minimum && level != LogLevel.None;

    private void Write(string category, LogLevel level, EventId eventId, string message, Exception? exception)
    {
        var line = new StringBuilder(64 + category.Length + message.Length);
        line.Append(DateTimeOffset.Now.ToString("HH:mm:ss ", CultureInfo.InvariantCulture));
        var (name, color) = Level(level);
        line.Append(_colors ? $"\u001b[{color}m{name}\u001b[39m\u001b[22m" : name);
        line.Append(": ").Append(category).Append('[').Append(eventId.Id.ToString(CultureInfo.InvariantCulture)).Append("] ");
        AppendOneLine(line, message);
        if (exception is not null)
        {
            line.Append(' ');
            AppendOneLine(line, exception.ToString());
        }

        line.Append('\n');
        // TextWriter.Synchronized (Console.Error) or the caller's writer: one call per line keeps lines whole across threads.
        lock (_error)
        {
            _error.Write(line.ToString());
        }
    }

    private static void AppendOneLine(StringBuilder line, string text)
    {
        foreach (var c in text)
        {
            line.Append(c is '\r' or '\n' ? ' ' : c);
        }
    }

    private static (string Name, string Color) Level(LogLevel level) => level switch
    {
        LogLevel.Trace => ("trce", "37"),
        LogLevel.Debug => ("dbug", "37"),
        LogLevel.Information => ("info", "32"),
        LogLevel.Warning => ("warn", "1;33"),
        LogLevel.Error => ("fail", "1;31"),
        _ => ("crit", "1;31"),
    };

    private sealed class CategoryLogger(StandardErrorLoggers owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => owner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (owner.IsEnabled(logLevel))
            {
                owner.Write(category, logLevel, eventId, formatter(state, exception), exception);
            }
        }
    }
}
