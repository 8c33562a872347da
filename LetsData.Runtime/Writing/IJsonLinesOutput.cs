namespace LetsData.Runtime.Writing;

/// <summary>
/// One task's JSON Lines output, wherever it is stored (a local file, an S3 object): lines are appended, and
/// <see cref="Complete"/> makes them durable under the completed or the errored name.
/// </summary>
internal interface IJsonLinesOutput : IDisposable
{
    void WriteLine(ReadOnlySpan<byte> utf8Json);

    void Complete(bool succeeded);

    /// <summary>Makes the lines written so far durable; returns the output's position (see <see cref="IDocumentSink.TryCheckpoint"/>).</summary>
    bool TryCheckpoint(out string? position)
    {
        position = null;
        return false;
    }

    /// <summary>See <see cref="IDocumentSink.MakeDurable"/>.</summary>
    void MakeDurable()
    {
    }
}
