namespace LetsData.Runtime.Engine;

/// <summary>One file named by a manifest line; <see cref="FileType"/> is null on single-type lines.</summary>
public sealed record ManifestFileRef(string? FileType, string FileName);

/// <summary>One unit of work: a manifest line. Its id is stable for a given manifest (the line's position).</summary>
public sealed record DataTaskDefinition(string TaskId, int LineNumber, string ManifestLine, IReadOnlyList<ManifestFileRef> Files);
