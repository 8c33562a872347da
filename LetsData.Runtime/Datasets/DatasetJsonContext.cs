using System.Text.Json;
using System.Text.Json.Serialization;

namespace LetsData.Runtime.Datasets;

/// <summary>
/// Source-generated JSON metadata for dataset files: no reflection warm-up at start-up. An unknown field is an
/// error, so that a misspelt field name is reported instead of silently ignored.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    ReadCommentHandling = JsonCommentHandling.Skip,
    AllowTrailingCommas = true,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow)]
[JsonSerializable(typeof(DatasetConfig))]
internal sealed partial class DatasetJsonContext : JsonSerializerContext;
