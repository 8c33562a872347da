namespace LetsData.Runtime.Writing;

/// <summary>
/// One task's JSON Lines output, wherever it is stored (a local file, an S3 object): lines are appended, and
/// <see cref="Complete"/> makes them durable under the completed or the errored name.
/// </summary>
internal interface IJsonLinesOutput : IDisposable
{
    void WriteLine(string text);

    void WriteLine(ReadOnlySpan<byte> utf8Json);

    void Complete(bool succeeded);
}
