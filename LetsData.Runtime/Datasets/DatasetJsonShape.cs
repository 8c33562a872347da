using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using LetsData.Runtime.Plugins;

namespace LetsData.Runtime.Datasets;

/// <summary>
/// Checks a dataset file's JSON against the shape of <see cref="DatasetConfig"/> before it is deserialized, so that
/// every unknown field (with the known one it is probably a typo of) and every value of the wrong kind is reported,
/// each by its path — the serializer stops at the first one and names the .NET type it was filling.
/// </summary>
internal static class DatasetJsonShape
{
    public static List<string> Problems(JsonNode? root, JsonTypeInfo config)
    {
        var problems = new List<string>();
        Check(root, config, "$", problems);
        return problems;
    }

    private static void Check(JsonNode? node, JsonTypeInfo info, string path, List<string> problems)
    {
        if (node is null)
        {
            return; // null is "not set" for every optional field; required ones are checked with the values
        }

        switch (info.Kind)
        {
            case JsonTypeInfoKind.Object when node is JsonObject fields:
                var known = info.Properties.ToDictionary(p => p.Name, StringComparer.Ordinal);
                foreach (var (name, value) in fields)
                {
                    var field = path == "$" ? name : $"{path}.{name}";
                    if (known.TryGetValue(name, out var property))
                    {
                        Check(value, info.Options.GetTypeInfo(property.PropertyType), field, problems);
                    }
                    else
                    {
                        var similar = SimilarTypeNames.Find(name, known.Keys);
                        problems.Add($"{field}: unknown field{(similar.Count > 0 ? $"; did you mean {string.Join(" or ", similar)}?" : "")}");
                    }
                }

                break;
            case JsonTypeInfoKind.Dictionary when node is JsonObject entries:
                foreach (var (key, value) in entries)
                {
                    Check(value, info.Options.GetTypeInfo(info.ElementType!), $"{path}.{key}", problems);
                }

                break;
            case JsonTypeInfoKind.Enumerable when node is JsonArray items:
                for (var i = 0; i < items.Count; i++)
                {
                    Check(items[i], info.Options.GetTypeInfo(info.ElementType!), $"{path}[{i}]", problems);
                }

                break;
            case JsonTypeInfoKind.Object or JsonTypeInfoKind.Dictionary:
                problems.Add($"{path}: expected an object, not {Describe(node)}");
                break;
            case JsonTypeInfoKind.Enumerable:
                problems.Add($"{path}: expected an array, not {Describe(node)}");
                break;
            default:
                if (Expected(info.Type) is { } expected && !expected.Kinds.Contains(node.GetValueKind()))
                {
                    problems.Add($"{path}: expected {expected.Description}, not {Describe(node)}");
                }

                break;
        }
    }

    private static readonly (string Description, JsonValueKind[] Kinds) Text = ("a string", [JsonValueKind.String]);
    private static readonly (string Description, JsonValueKind[] Kinds) Flag = ("true or false", [JsonValueKind.True, JsonValueKind.False]);
    private static readonly (string Description, JsonValueKind[] Kinds) Number = ("a number", [JsonValueKind.Number]);

    private static (string Description, JsonValueKind[] Kinds)? Expected(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        return type == typeof(string) ? Text
            : type == typeof(bool) ? Flag
            : type == typeof(int) || type == typeof(long) || type == typeof(double) || type == typeof(decimal) ? Number
            : null; // anything else has its own converter and message
    }

    private static string Describe(JsonNode node) => node.GetValueKind() switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => $"the string {node.ToJsonString()}",
        JsonValueKind.Number => $"the number {node.ToJsonString()}",
        JsonValueKind.True or JsonValueKind.False => node.ToJsonString(),
        var kind => kind.ToString(),
    };
}
