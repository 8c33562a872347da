namespace LetsData.Runtime.Writing.S3;

/// <summary>
/// How an object is copied from one key to another (an errored task's object, completed under the completed name, to
/// the errored name): one CopyObject up to <see cref="SingleCopyLimit"/> bytes, a multipart copy of
/// <see cref="PartSize"/>-byte ranges above it. Overridable so tests take the multipart path with small objects.
/// </summary>
internal sealed record S3CopyOptions
{
    /// <summary>The largest object S3 copies with one CopyObject (5 GiB).</summary>
    public const long MaxSingleCopy = 5L * 1024 * 1024 * 1024;

    /// <summary>S3's smallest part (all but the last).</summary>
    public const long MinPartSize = 5L * 1024 * 1024;

    /// <summary>S3's largest part.</summary>
    public const long MaxPartSize = 5L * 1024 * 1024 * 1024;

    /// <summary>S3's most parts in one upload.</summary>
    public const int MaxParts = 10_000;

    public static S3CopyOptions Default { get; } = new();

    /// <summary>Objects up to this size are copied with one CopyObject.</summary>
    public long SingleCopyLimit
    {
        get;
        init => field = value is > 0 and <= MaxSingleCopy
            ? value
            : throw new ArgumentOutOfRangeException(nameof(SingleCopyLimit), value, $"CopyObject copies 1 to {MaxSingleCopy} bytes");
    } = MaxSingleCopy;

    /// <summary>
    /// The range each UploadPartCopy copies. 512 MiB: a 5 GiB object is about ten parts, and 10,000 of them reach S3's
    /// largest object (5 TiB); a larger object gets larger parts (<see cref="PartSizeFor"/>).
    /// </summary>
    public long PartSize
    {
        get;
        init => field = value is >= MinPartSize and <= MaxPartSize
            ? value
            : throw new ArgumentOutOfRangeException(nameof(PartSize), value, $"S3 parts are {MinPartSize} to {MaxPartSize} bytes");
    } = 512L * 1024 * 1024;

    /// <summary>How many UploadPartCopy requests run at once (each is a server-side copy, bounded by S3 rather than by us).</summary>
    public int MaxParallelParts
    {
        get;
        init => field = value > 0 ? value : throw new ArgumentOutOfRangeException(nameof(MaxParallelParts), value, "at least 1");
    } = 4;

    /// <summary><see cref="PartSize"/>, or more when the object would need over <see cref="MaxParts"/> parts.</summary>
    public long PartSizeFor(long objectSize) => Math.Max(PartSize, (objectSize + MaxParts - 1) / MaxParts);
}
