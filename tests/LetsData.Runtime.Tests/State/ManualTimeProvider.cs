namespace LetsData.Runtime.Tests.State;

/// <summary>A clock the test moves by hand (lease expiry without waiting).</summary>
internal sealed class ManualTimeProvider(DateTimeOffset start) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = start;

    public override DateTimeOffset GetUtcNow() => Now;
}
