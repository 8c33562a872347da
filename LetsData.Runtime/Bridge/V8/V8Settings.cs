namespace LetsData.Runtime.Bridge.V8;

/// <summary>The limits of each task's V8 isolate.</summary>
/// <param name="HeapBytes">The isolate's heap limit: past it the script is stopped and the task errors.</param>
/// <param name="CallTimeout">A call running longer is interrupted (the dataset's plugin call timeout); null: none.</param>
internal sealed record V8Settings(long HeapBytes, TimeSpan? CallTimeout)
{
    public const int DefaultHeapMegabytes = 512;
}
