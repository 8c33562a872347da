using Amazon.S3;
using LetsData.Runtime.Engine;

namespace LetsData.Runtime.Writing.S3;

/// <summary>Where an S3 write or error connector puts its objects: key = <see cref="Prefix"/> + the task's output name (<see cref="TaskOutputName"/>) + <c>.jsonl[.gz]</c>.</summary>
public sealed record S3OutputLocation(string BucketName, string Prefix, bool Gzip, bool? ForcePathStyle)
{
    public override string ToString() => $"s3://{BucketName}/{Prefix}";
}

/// <summary>
/// The <c>S3</c> write connector: one JSON Lines object per task (one <c>Serialize()</c> result per line) under the
/// location's prefix, optionally gzip-compressed, streamed with multipart upload.
/// </summary>
public sealed class S3DocumentSinkFactory(IAmazonS3 client, S3OutputLocation location, int partSize = S3PartUploadStream.MinPartSize, bool ownsClient = false)
    : IDocumentSinkFactory, IDisposable
{
    private readonly S3CopyOptions? _copy;

    /// <summary>With other copy limits than S3's (tests take the multipart copy of an errored object with small objects).</summary>
    internal S3DocumentSinkFactory(IAmazonS3 client, S3OutputLocation location, int partSize, S3CopyOptions copy)
        : this(client, location, partSize) => _copy = copy;

    /// <summary>The id of S3 outputs in checkpoints (documents and errors).</summary>
    public const string Id = "s3";

    public string CheckpointId => Id;

    public S3OutputLocation Location { get; } = location;

    public IDocumentSink Open(TaskContext task) =>
        new JsonLinesDocumentSink(new S3JsonLinesObject(client, Location, task.OutputName, partSize, task.Resume?.Documents, _copy));

    public void Dispose()
    {
        if (ownsClient)
        {
            client.Dispose();
        }
    }
}

/// <summary>The <c>S3</c> error connector: one JSON Lines object of <see cref="ErrorRecord"/>s per task under the location's prefix.</summary>
public sealed class S3ErrorSinkFactory(IAmazonS3 client, S3OutputLocation location, int partSize = S3PartUploadStream.MinPartSize, bool ownsClient = false)
    : IErrorSinkFactory, IDisposable
{
    private readonly S3CopyOptions? _copy;

    /// <summary>With other copy limits than S3's (tests take the multipart copy of an errored object with small objects).</summary>
    internal S3ErrorSinkFactory(IAmazonS3 client, S3OutputLocation location, int partSize, S3CopyOptions copy)
        : this(client, location, partSize) => _copy = copy;

    public string CheckpointId => S3DocumentSinkFactory.Id;

    public S3OutputLocation Location { get; } = location;

    public IErrorSink Open(TaskContext task) =>
        new JsonLinesErrorSink(new S3JsonLinesObject(client, Location, task.OutputName, partSize, task.Resume?.Errors, _copy));

    public void Dispose()
    {
        if (ownsClient)
        {
            client.Dispose();
        }
    }
}
