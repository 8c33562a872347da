using System.Text.Json;

namespace LetsData.Runtime.Plugins.Policy;

/// <summary>
/// One reviewed assembly allowed to use fenced APIs, pinned by its simple name and the SHA-256 of its file: the
/// scanner skips that exact file and refuses any other file under the same name.
/// </summary>
/// <param name="Assembly">The assembly's simple name, e.g. <c>Newtonsoft.Json</c>.</param>
/// <param name="Sha256">The SHA-256 of the assembly file, lower-case hexadecimal.</param>
/// <param name="Reason">Why it is allowed, for the reviewer.</param>
public sealed record PolicyAllowEntry(string Assembly, string Sha256, string? Reason)
{
    /// <summary>The entry as it is written in the dataset's <c>pluginPolicy.allow</c> array.</summary>
    public string ToJson()
    {
        var json = $"{{ \"assembly\": {Quote(Assembly)}, \"sha256\": {Quote(Sha256)}";
        return Reason is null ? json + " }" : json + $", \"reason\": {Quote(Reason)} }}";
    }

    private static string Quote(string value) => JsonSerializer.Serialize(value, PolicyJsonContext.Default.String);
}
