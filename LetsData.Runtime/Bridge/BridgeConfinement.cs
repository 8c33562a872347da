namespace LetsData.Runtime.Bridge;

/// <summary>What a bridge host needs in its data-task process's Landlock fence beyond what .NET needs: its interpreter.</summary>
internal static class BridgeConfinement
{
    private static readonly string[] SystemBinFolders = ["/usr/bin", "/usr/local/bin", "/bin"];

    /// <summary>Files the interpreter reads at start-up: Node's OpenSSL configuration (it refuses to start without it).</summary>
    public static IReadOnlyList<string> ReadPaths(BridgeProject? bridge) =>
        bridge?.HostLanguage == BridgeLanguage.JavaScript && File.Exists("/etc/ssl/openssl.cnf") ? ["/etc/ssl/openssl.cnf"] : [];

    /// <summary>
    /// The interpreter's file (symlinks followed); for one installed outside the system folders (pyenv, nvm), its whole
    /// prefix (the folder above bin/), which holds its standard library. Empty for a .NET plugin and for V8.
    /// </summary>
    public static IReadOnlyList<string> InterpreterPaths(BridgeProject? bridge, Func<string, string?> environment)
    {
        if (bridge?.HostLanguage?.FindInterpreter(environment) is not { } interpreter)
        {
            return [];
        }

        var target = File.ResolveLinkTarget(interpreter, returnFinalTarget: true)?.FullName ?? Path.GetFullPath(interpreter);
        var folder = Path.GetDirectoryName(target)!;
        return SystemBinFolders.Contains(folder, StringComparer.Ordinal) ? [target] : [Path.GetDirectoryName(folder)!];
    }

    /// <summary>
    /// The TCP port of the project's endpoint (<c>bridgeEndpoint</c>), which its data-task processes must connect to; null
    /// without one. Landlock rules name ports, not hosts: the fence then allows that port on any address.
    /// </summary>
    public static int? EndpointPort(BridgeProject? bridge) => bridge?.Endpoint?.Port;
}
