using System.Text.Json;

namespace LetsData.Runtime.Bridge;

/// <summary>A host's answer to the start-up check: its runtime and, per interface, its file and the load error if any.</summary>
internal sealed record BridgeHello(string Language, string Version, IReadOnlyList<(string Interface, string File, string? Problem)> Interfaces)
{
    public static BridgeHello Read(JsonElement response)
    {
        var hello = response.GetProperty("hello");
        var interfaces = new List<(string, string, string?)>();
        foreach (var entry in hello.GetProperty("interfaces").EnumerateObject())
        {
            var file = entry.Value.GetProperty("file").GetString() ?? "";
            var problem = entry.Value.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object
                ? $"{BridgeCallFailure.Where(error, file)}: {entry.Name} does not load: {BridgeCallFailure.What(error)}"
                : null;
            interfaces.Add((entry.Name, file, problem));
        }

        return new BridgeHello(hello.GetProperty("language").GetString() ?? "", hello.GetProperty("version").GetString() ?? "", interfaces);
    }

    public string? FirstProblem() => Interfaces.Select(i => i.Problem).FirstOrDefault(p => p is not null);
}
