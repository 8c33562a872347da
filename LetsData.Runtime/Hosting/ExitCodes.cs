namespace LetsData.Runtime.Hosting;

/// <summary>Process exit codes of <c>letsdata</c>.</summary>
public static class ExitCodes
{
    /// <summary>Every task completed (run), or the dataset is valid (validate).</summary>
    public const int Success = 0;

    /// <summary>At least one task errored (run), or validation found problems (validate).</summary>
    public const int Failed = 1;

    /// <summary>Unusable input: bad command line, dataset config, manifest or plugin; nothing ran.</summary>
    public const int UnusableInput = 2;

    /// <summary>
    /// The run stopped before every task of its share ended (a stop signal, the time box, tasks never started): run it
    /// again to continue. Job runners retry on this code; they must not count the work as done.
    /// </summary>
    public const int Stopped = 3;
}
