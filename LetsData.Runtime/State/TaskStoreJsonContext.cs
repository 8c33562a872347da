using System.Text.Json.Serialization;

namespace LetsData.Runtime.State;

/// <summary>The stored and printed JSON of task records (source-generated: no reflection at start-up).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true,
    UseStringEnumConverter = true)]
[JsonSerializable(typeof(TaskRecord))]
[JsonSerializable(typeof(List<TaskRecord>))]
internal sealed partial class TaskStoreJsonContext : JsonSerializerContext;
