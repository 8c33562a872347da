namespace LetsData.Runtime.Engine;

/// <summary>What sinks and error records need to know about the task they serve.</summary>
public sealed record TaskContext(string DatasetName, string TaskId, IReadOnlyDictionary<string, string> FileNames);
