namespace LetsData.Runtime.Bridge;

/// <summary>A user's project folder in LetsData's layout and the language it is written in.</summary>
/// <param name="Language">The language (its host serves the folder).</param>
/// <param name="Folder">The project folder (the one holding <c>letsdata_interfaces/</c>), a full path.</param>
public sealed record BridgeProject(BridgeLanguage Language, string Folder)
{
    /// <summary>The folder every interface file lives under; a dataset's artifact path points here.</summary>
    public const string InterfacesFolder = "letsdata_interfaces";

    /// <summary>
    /// True for a JavaScript project run inside the data-task process on V8 (<c>"javascriptEngine": "v8"</c>) rather
    /// than by a Node host: no interpreter, no host process (see <see cref="V8.V8Preparation"/>).
    /// </summary>
    public bool OnV8 { get; init; }

    /// <summary>
    /// A running LetsData image that serves the project (<c>"bridgeEndpoint"</c>): calls go there as LetsData's envelope
    /// over HTTP, no host is started (see <see cref="Remote.BridgeEndpointChannel"/>).
    /// </summary>
    public Uri? Endpoint { get; init; }

    /// <summary>The language whose host a data-task process must start for this project; null on V8 or an endpoint.</summary>
    public BridgeLanguage? HostLanguage => OnV8 || Endpoint is not null ? null : Language;

    /// <summary>The project whose interfaces folder is <paramref name="interfacesFolder"/> (how a dataset names it).</summary>
    public static BridgeProject FromInterfacesFolder(BridgeLanguage language, string interfacesFolder) =>
        new(language, Path.GetDirectoryName(Path.GetFullPath(interfacesFolder))!);

    /// <summary>The file that holds an interface class, e.g. <c>letsdata_interfaces/readers/parsers/SingleFileParser.py</c>.</summary>
    public string FileOf(BridgeInterface contract) =>
        Path.Combine(Folder, InterfacesFolder, "readers", contract.Folder, contract.Name + (Language == BridgeLanguage.Python ? ".py" : ".js"));
}

/// <summary>A LetsData interface a project implements: its class name and the folder under <c>readers/</c> it lives in.</summary>
public sealed record BridgeInterface(string Name, string Folder)
{
    /// <summary>The file parser (<c>"Single File Reader"</c>).</summary>
    public static BridgeInterface SingleFileParser { get; } = new("SingleFileParser", "parsers");
}
