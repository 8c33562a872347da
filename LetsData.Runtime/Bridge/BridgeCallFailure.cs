using System.Text.Json;

namespace LetsData.Runtime.Bridge;

/// <summary>
/// The user's code raised or threw in a bridge call (an <c>EXCEPTION</c> result): the message names the function,
/// the error type and message, and the project file and line it came from.
/// </summary>
public sealed class BridgeCallFailure : Exception
{
    private BridgeCallFailure(string message) : base(message)
    {
    }

    /// <summary>The failure of <paramref name="function"/> described by an <c>EXCEPTION</c> result.</summary>
    internal static BridgeCallFailure From(JsonElement result, string function, string file) =>
        new($"{function} raised {What(result)} ({Where(result, file)})");

    /// <summary>True (with the failure) when <paramref name="result"/> is not a <c>SUCCESS</c>.</summary>
    internal static bool IsFailure(JsonElement result, string function, string file, out BridgeCallFailure? failure)
    {
        failure = result.TryGetProperty("statusCode", out var status) && status.ValueEquals("SUCCESS") ? null : From(result, function, file);
        return failure is not null;
    }

    /// <summary>"ErrorType: message" of an <c>EXCEPTION</c> result.</summary>
    internal static string What(JsonElement result)
    {
        var type = result.TryGetProperty("exception", out var e) && e.TryGetProperty("errorType", out var t) ? t.GetString() : null;
        var message = result.TryGetProperty("errorMessage", out var m) ? m.GetString() : null;
        return $"{type ?? "Error"}: {message ?? "(no message)"}";
    }

    /// <summary>"file:line" of the result's error, or the interface's file when the host could not tell.</summary>
    internal static string Where(JsonElement result, string fallbackFile)
    {
        if (result.TryGetProperty("exception", out var e) && e.TryGetProperty("file", out var f) && f.GetString() is { } file)
        {
            return e.TryGetProperty("line", out var l) && l.ValueKind == JsonValueKind.Number ? $"{file}:{l.GetInt32()}" : file;
        }

        return fallbackFile;
    }
}
