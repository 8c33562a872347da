using LetsData.Runtime.State;

namespace LetsData.Runtime.Hosting;

/// <summary>The options of the task inspection commands (<c>tasks list|show</c>, <c>errors list</c>, <c>redrive</c>).</summary>
public sealed record TaskCommandOptions
{
    /// <summary>The two-word commands.</summary>
    public static IReadOnlySet<string> Commands { get; } = new HashSet<string>(StringComparer.Ordinal) { "tasks list", "tasks show", "errors list" };

    /// <summary><c>--task ID</c>: one task.</summary>
    public string? TaskId { get; init; }

    /// <summary><c>--status S</c> (tasks list): only tasks in this status.</summary>
    public TaskRecordStatus? Status { get; init; }

    /// <summary><c>--limit N</c> (errors list): at most N records.</summary>
    public int? Limit { get; init; }

    /// <summary><c>--kind K</c> (errors list): only <c>ErrorDoc</c> or only <c>TaskError</c> records.</summary>
    public string? Kind { get; init; }

    /// <summary><c>--json</c>: one JSON array on stdout instead of a table.</summary>
    public bool Json { get; init; }
}
