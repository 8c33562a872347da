using System.Text.Json.Serialization;

namespace LetsData.Runtime.Plugins.Policy;

/// <summary>Source-generated JSON for the allow entries <c>validate</c> prints (no reflection-based serializer).</summary>
[JsonSerializable(typeof(string))]
internal sealed partial class PolicyJsonContext : JsonSerializerContext;
