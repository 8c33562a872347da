using System.Globalization;

namespace Company.Parser;

/// <summary>
/// One event as the sample input writes it, <c>2026-12-07T10:00:00Z login user=alice</c>: a timestamp, an action
/// and optional details. Every reader of this project parses its records with it.
/// </summary>
public readonly record struct EventText(DateTimeOffset At, string Action, string? Details)
{
    /// <summary>The shape an error message names when a record does not parse.</summary>
    public const string Shape = "<timestamp> <action> [details]";

    /// <summary>Parses <paramref name="text"/>; <see langword="false"/> when it is not an event.</summary>
    public static bool TryParse(string text, out EventText parsed)
    {
        var fields = text.Trim().Split(' ', 3, StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length < 2
            || !DateTimeOffset.TryParse(fields[0], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
        {
            parsed = default;
            return false;
        }

        parsed = new EventText(at.ToUniversalTime(), fields[1], fields.Length > 2 ? fields[2] : null);
        return true;
    }

    /// <summary>The document's fields: <c>at</c> (ISO 8601, UTC), <c>action</c>, <c>details</c>.</summary>
    public Dictionary<string, object?> ToValues() => new()
    {
        ["at"] = At.ToString("O", CultureInfo.InvariantCulture),
        ["action"] = Action,
        ["details"] = Details,
    };
}
