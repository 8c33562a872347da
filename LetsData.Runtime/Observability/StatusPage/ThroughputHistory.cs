namespace LetsData.Runtime.Observability.StatusPage;

/// <summary>One sample of a run's total record count.</summary>
/// <param name="At">When it was taken.</param>
/// <param name="Records">Records read by then.</param>
internal readonly record struct ThroughputSample(DateTimeOffset At, long Records);

/// <summary>
/// The latest samples of a run's total record count, from which the status page draws records per second over time.
/// Samples are taken at a fixed period by <see cref="SampleAsync"/>, not by page requests, so the chart does not
/// depend on how often anyone looks.
/// </summary>
internal sealed class ThroughputHistory(int capacity)
{
    private readonly Queue<ThroughputSample> _samples = new();
    private readonly Lock _gate = new();

    /// <summary>The samples kept, oldest first.</summary>
    public IReadOnlyList<ThroughputSample> Samples
    {
        get
        {
            lock (_gate)
            {
                return [.. _samples];
            }
        }
    }

    /// <summary>Keeps a sample; the oldest goes when <c>capacity</c> are kept.</summary>
    public void Add(ThroughputSample sample)
    {
        lock (_gate)
        {
            if (_samples.Count == capacity)
            {
                _samples.Dequeue();
            }

            _samples.Enqueue(sample);
        }
    }

    /// <summary>Samples <paramref name="records"/> now and then every <paramref name="period"/> until stopped.</summary>
    public async Task SampleAsync(Func<CancellationToken, ValueTask<long>> records, TimeSpan period, TimeProvider time, CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(period, time);
        try
        {
            do
            {
                Add(new ThroughputSample(time.GetUtcNow(), await records(stopping).ConfigureAwait(false)));
            }
            while (await timer.WaitForNextTickAsync(stopping).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // The page is closing.
        }
    }
}
