namespace LetsData.Runtime.Tests.State;

/// <summary>
/// A worker's clock the test moves by hand: a wall clock (<see cref="Now"/>) and a monotonic one
/// (<see cref="TimeProvider.GetTimestamp"/>) kept apart, as on a real machine, so that a test can set a wall clock
/// hours off (or step it) without time passing, and let time pass with <see cref="Advance"/>. Each instance starts its
/// monotonic clock at zero, as a process does. Timers and delays stay real.
/// </summary>
internal sealed class ManualTimeProvider(DateTimeOffset start) : TimeProvider
{
    private readonly Lock _lock = new();
    private DateTimeOffset _now = start;
    private TimeSpan _elapsed;

    /// <summary>The wall clock; setting it alone is a clock step, not time passing.</summary>
    public DateTimeOffset Now
    {
        get { lock (_lock) { return _now; } }
        set { lock (_lock) { _now = value; } }
    }

    /// <summary>Lets <paramref name="time"/> pass: both clocks move on.</summary>
    public void Advance(TimeSpan time)
    {
        lock (_lock)
        {
            _now += time;
            _elapsed += time;
        }
    }

    public override DateTimeOffset GetUtcNow() => Now;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp()
    {
        lock (_lock)
        {
            return _elapsed.Ticks;
        }
    }
}
