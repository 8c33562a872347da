using System.Diagnostics;
using LetsData.Runtime.Aws;
using LetsData.Runtime.Aws.Credentials;
using LetsData.Runtime.Datasets;
using LetsData.Runtime.Engine;
using LetsData.Runtime.Plugins;
using LetsData.Runtime.Plugins.Artifacts;
using LetsData.Runtime.Plugins.Policy;
using LetsData.Runtime.Plugins.Reload;
using LetsData.Runtime.Reading;
using LetsData.Runtime.Connectors.LocalFiles;

namespace LetsData.Runtime.Hosting;

/// <summary>
/// A dataset made ready to run: config validated, manifest parsed into tasks, plugin loaded in its own context,
/// reader classes resolved. The shared first half of <c>run</c> and <c>validate</c>; collects every problem it can.
/// </summary>
public sealed class PreparedDataset : IDisposable
{
    private bool _pluginHandedOver;

    private PreparedDataset(Dataset dataset, IReadOnlyList<DataTaskDefinition> tasks, LoadedPlugin? plugin, ReaderBinding binding,
        TimeSpan pluginLoadTime, PolicyScanResult? policyScan)
    {
        PolicyScan = policyScan;
        Dataset = dataset;
        Tasks = tasks;
        Plugin = plugin;
        Binding = binding;
        PluginLoadTime = pluginLoadTime;
    }

    public Dataset Dataset { get; }
    /// <summary>The manifest's tasks for file readers; empty for stream and table readers (see <see cref="RunInputs"/>).</summary>
    public IReadOnlyList<DataTaskDefinition> Tasks { get; }
    /// <summary>The loaded .NET plugin; null for a Python or JavaScript project (see <see cref="BridgeProject"/>).</summary>
    public LoadedPlugin? Plugin { get; }
    public ReaderBinding Binding { get; }

    /// <summary>The plugin's name in messages: the .NET plugin's, or the project folder's.</summary>
    public string PluginName => Plugin?.Name ?? Binding.PluginName;

    /// <summary>The Python or JavaScript project and its hosts; null for a .NET plugin.</summary>
    public Bridge.BridgePreparation? BridgeProject { get; private init; }
    public TimeSpan PluginLoadTime { get; }

    /// <summary>The plugin policy check that passed before the plugin was loaded; null for a bridge project (no .NET code).</summary>
    public PolicyScanResult? PolicyScan { get; }

    /// <summary>Where an <c>s3://</c> plugin came from (downloaded or cached); null for a plugin under <c>--plugins</c>.</summary>
    public ResolvedPluginArtifact? PluginArtifact { get; private init; }

    /// <summary>The shadow copy the plugin was scanned and loaded from (<see cref="TryPrepareForRun"/>, local plugin); null otherwise.</summary>
    internal PluginShadowCopy? ShadowCopy { get; private init; }

    /// <summary>Returns the prepared dataset, or null with the <paramref name="problems"/> that prevent running it.</summary>
    /// <param name="datasetFile">The dataset configuration file.</param>
    /// <param name="pluginsDirectory">The folder relative <c>artifactFile</c> paths are resolved against.</param>
    /// <param name="problems">Receives every problem found.</param>
    /// <param name="pluginCacheDirectory">Where <c>s3://</c> plugin zips are unpacked (<c>--plugin-cache</c>); null: <see cref="PluginArtifactCache.Resolve"/>'s default.</param>
    public static PreparedDataset? TryPrepare(string datasetFile, string pluginsDirectory, List<string> problems,
        string? pluginCacheDirectory = null) =>
        TryPrepare(datasetFile, pluginsDirectory, problems, out _, pluginCacheDirectory);

    /// <summary>
    /// Returns the prepared dataset, or null with the <paramref name="problems"/> that prevent running it. The plugin
    /// folder is checked against the plugin policy before the plugin is loaded; <paramref name="policyScan"/> is that
    /// check's result (null when it did not run), so that a refusal can be explained.
    /// </summary>
    /// <param name="datasetFile">The dataset configuration file.</param>
    /// <param name="pluginsDirectory">The folder relative <c>artifactFile</c> paths are resolved against.</param>
    /// <param name="problems">Receives every problem found.</param>
    /// <param name="policyScan">The plugin policy check's result.</param>
    /// <param name="pluginCacheDirectory">Where <c>s3://</c> plugin zips are unpacked (<c>--plugin-cache</c>); null: <see cref="PluginArtifactCache.Resolve"/>'s default.</param>
    public static PreparedDataset? TryPrepare(string datasetFile, string pluginsDirectory, List<string> problems,
        out PolicyScanResult? policyScan, string? pluginCacheDirectory = null) =>
        TryPrepare(datasetFile, pluginsDirectory, problems, out policyScan, pluginCacheDirectory, shadowCopy: false);

    /// <summary>
    /// <c>run</c>'s prepare: as <see cref="TryPrepare(string, string, List{string}, string?)"/>, but a plugin from a local
    /// folder is shadow-copied first and policy-scanned and loaded from the copy, which the run's hot update takes over as
    /// its first version (<see cref="HandOverPlugin"/>): start-up copies, scans and loads the plugin once, and what was
    /// scanned is exactly what loads. The initialization test and the first version's tasks therefore share one load
    /// (static state a plugin keeps from the test stays), as they always did for <c>s3://</c> plugins.
    /// </summary>
    internal static PreparedDataset? TryPrepareForRun(string datasetFile, string pluginsDirectory, List<string> problems,
        string? pluginCacheDirectory) =>
        TryPrepare(datasetFile, pluginsDirectory, problems, out _, pluginCacheDirectory, shadowCopy: true);

    /// <summary>
    /// A data-task process's prepare: the dataset as its supervisor made it ready — the role assumed there, an S3-linked
    /// manifest read there (<paramref name="manifestText"/>), an <c>s3://</c> plugin fetched into the cache there
    /// or a local plugin's folder copied there (<paramref name="pluginAssembly"/>) — and the plugin scanned and loaded here, where plugin code may run.
    /// A scan begun before the dataset was read (<paramref name="scanAhead"/>) stands in for the scan when the dataset's policy is the default one.
    /// </summary>
    internal static PreparedDataset? TryPrepareInDataTask(string datasetFile, string pluginsDirectory, string? manifestText,
        string? pluginAssembly, List<string> problems, out PolicyScanResult? policyScan, PolicyScanAhead? scanAhead = null) =>
        TryPrepare(datasetFile, pluginsDirectory, problems, out policyScan, pluginCacheDirectory: null, shadowCopy: false, scanAhead,
            dataset => dataset with
            {
                ManifestText = manifestText ?? dataset.ManifestText,
                ManifestS3Object = manifestText is null ? dataset.ManifestS3Object : null,
                ArtifactFile = pluginAssembly ?? dataset.ArtifactFile,
                PluginArtifact = pluginAssembly is null ? dataset.PluginArtifact : null,
            });

    /// <summary>
    /// The supervisor's half of prepare: the dataset config, its role assumed, an S3-linked manifest read, and its
    /// tasks; no plugin file is read. Null with the problems when the dataset cannot run.
    /// </summary>
    internal static Dataset? TryLoadDataset(string datasetFile, string pluginsDirectory, List<string> problems, out IReadOnlyList<DataTaskDefinition> tasks)
    {
        tasks = [];
        var dataset = TryLoadConfig(datasetFile, pluginsDirectory, problems, adjust: null);
        if (dataset is not null && dataset.ReaderType.ReadsFiles())
        {
            tasks = TryParseManifest(dataset, problems);
        }

        return problems.Count == 0 ? dataset : null;
    }

    private static Dataset? TryLoadConfig(string datasetFile, string pluginsDirectory, List<string> problems, Func<Dataset, Dataset>? adjust)
    {
        try
        {
            var dataset = DatasetLoader.Load(datasetFile, pluginsDirectory);
            if (adjust is not null)
            {
                return adjust(dataset);
            }

            var outputs = LocalOutputFolders.Problems(dataset);
            if (outputs.Count > 0)
            {
                problems.AddRange(outputs.Select(p => $"{datasetFile}: {p}"));
                return null;
            }

            // The role signs the plugin-zip and manifest reads too, so it is assumed before them; a refusal stops here.
            return RuntimeCredentials.Current.TryAssume(dataset, problems) ? WithS3ManifestText(dataset) : null;
        }
        catch (DatasetConfigException e)
        {
            problems.AddRange(e.Problems.Select(p => $"{datasetFile}: {p}"));
            return null;
        }
    }

    /// <summary><c>validate</c>'s supervisor half: the dataset config with its role assumed and an S3 manifest read (no tasks, no plugin).</summary>
    internal static Dataset? TryLoadConfig(string datasetFile, string pluginsDirectory, List<string> problems) =>
        TryLoadConfig(datasetFile, pluginsDirectory, problems, adjust: null);

    private static IReadOnlyList<DataTaskDefinition> TryParseManifest(Dataset dataset, List<string> problems)
    {
        IReadOnlyList<DataTaskDefinition> tasks;
        try
        {
            tasks = ManifestParser.Parse(dataset.ManifestText, dataset.ReaderType, dataset.ManifestSource);
        }
        catch (DatasetConfigException e)
        {
            problems.AddRange(e.Problems.Select(p => $"manifest ({e.ConfigSource}): {p}"));
            return [];
        }

        if (dataset.Read.LocalFolder is { } inputs)
        {
            // Caught here, before anything runs; the source checks again what a plugin's resolver makes of a name.
            var source = new LocalFileSource(inputs);
            var escapes = tasks.SelectMany(t => t.Files.Select(f => (t.LineNumber, Refusal: source.Refusal(f.FileName))))
                .Where(f => f.Refusal is not null)
                .Select(f => $"manifest ({dataset.ManifestSource}): line {f.LineNumber}: {f.Refusal}")
                .ToList();
            problems.AddRange(escapes);
        }

        return tasks;
    }

    private static PreparedDataset? TryPrepare(string datasetFile, string pluginsDirectory, List<string> problems,
        out PolicyScanResult? policyScan, string? pluginCacheDirectory, bool shadowCopy, PolicyScanAhead? scanAhead = null,
        Func<Dataset, Dataset>? adjust = null)
    {
        policyScan = null;
        if (TryLoadConfig(datasetFile, pluginsDirectory, problems, adjust) is not { } dataset)
        {
            return null;
        }

        // Stream and table readers get their tasks from the source (shards, scan segments) when it is opened.
        var tasks = dataset.ReaderType.ReadsFiles() ? TryParseManifest(dataset, problems) : [];

        if (dataset.Bridge is { } bridge)
        {
            // A project zip in S3 is unpacked into the plugin cache first (in the supervisor; a data-task process gets the folder).
            var zip = dataset.PluginArtifact is null ? null : TryFetchPlugin(dataset, pluginCacheDirectory, problems);
            return TryPrepareBridge(zip is null ? dataset : dataset with { ArtifactFile = zip.AssemblyPath }, tasks, bridge, problems);
        }

        var firstPluginProblem = problems.Count;
        var prepared = TryLoadPlugin(dataset, tasks, datasetFile, pluginCacheDirectory, shadowCopy, scanAhead, problems, out policyScan, out var copy);
        if (prepared is null && copy is not null)
        {
            // The messages name the dropped build (the copy means nothing to the developer); a copy nothing runs from goes.
            for (var i = firstPluginProblem; i < problems.Count; i++)
            {
                problems[i] = copy.NameTheSource(problems[i]);
            }

            PluginShadowCopy.TryDeleteFolder(Path.GetDirectoryName(copy.Folder)!);
        }

        return prepared;
    }

    private static PreparedDataset? TryLoadPlugin(Dataset dataset, IReadOnlyList<DataTaskDefinition> tasks, string datasetFile,
        string? pluginCacheDirectory, bool shadowCopy, PolicyScanAhead? scanAhead, List<string> problems, out PolicyScanResult? policyScan,
        out PluginShadowCopy? copy)
    {
        policyScan = null;
        copy = null;
        ResolvedPluginArtifact? artifact = null;
        LoadedPlugin plugin;
        Stopwatch stopwatch;
        try
        {
            artifact = FetchS3Plugin(dataset, pluginCacheDirectory);
            var assemblyPath = artifact?.AssemblyPath ?? dataset.ArtifactFile;
            if (artifact is null && shadowCopy && !TryShadowCopy(assemblyPath, problems, out copy))
            {
                return null;
            }

            assemblyPath = copy?.AssemblyPath ?? assemblyPath;
            var allowed = PolicyAllows(dataset, assemblyPath, datasetFile, scanAhead, problems, out var scan);
            policyScan = scan;
            if (!allowed)
            {
                return null;
            }

            stopwatch = Stopwatch.StartNew();
            // Only what the scan read may load: a file added to the folder since (or one it did not take for .NET code) is refused.
            plugin = PluginLoader.Load(assemblyPath, scan.ManagedFiles);
        }
        catch (PluginArtifactException e)
        {
            problems.Add($"readConnector.artifactFile: {e.Message}");
            return null;
        }
        catch (PluginLoadException e)
        {
            problems.Add($"readConnector.artifactFile: {(artifact is null ? "" : $"{artifact.Location}: ")}{e.Message}");
            return null;
        }

        var loadTime = stopwatch.Elapsed;
        var binding = PluginReaderBinding.TryCreate(dataset, plugin, problems);
        if (binding is null || problems.Count > 0)
        {
            plugin.Dispose();
            return null;
        }

        return new PreparedDataset(dataset, tasks, plugin, binding, loadTime, policyScan) { PluginArtifact = artifact, ShadowCopy = copy };
    }

    // A Python or JavaScript project: its hosts (not this process) run its code. The artifact may be a shadow copy.
    private static PreparedDataset? TryPrepareBridge(Dataset dataset, IReadOnlyList<DataTaskDefinition> tasks, Bridge.BridgeProject bridge,
        List<string> problems)
    {
        if (problems.Count > 0)
        {
            return null;
        }

        var stopwatch = Stopwatch.StartNew();
        var project = Bridge.BridgeProject.FromInterfacesFolder(bridge.Language, dataset.ArtifactFile) with { OnV8 = bridge.OnV8 };
        var prepared = project.OnV8 ? Bridge.BridgePreparation.TryPrepareOnV8(project, dataset, problems) : Bridge.BridgePreparation.TryPrepare(project, line => Console.Error.WriteLine($"{Bridge.BridgeLanguages.Name(project.Language)} host: {line}"), problems,
            dataset);
        return prepared is null ? null
            : new PreparedDataset(dataset, tasks, null, prepared.Binding, stopwatch.Elapsed, null) { BridgeProject = prepared };
    }

    // The first version's copy, in a new shadow folder of this process. A missing assembly is not copied: the loader
    // says what the folder holds. False (with the problem added) when the folder cannot be copied.
    private static bool TryShadowCopy(string assemblyPath, List<string> problems, out PluginShadowCopy? copy)
    {
        copy = null;
        var source = Path.GetFullPath(assemblyPath);
        if (!File.Exists(source))
        {
            return true;
        }

        try
        {
            copy = PluginShadowCopy.Create(source, VersionedPluginHost.ShadowRoot(new VersionedPluginHostOptions()), 1);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            problems.Add($"readConnector.artifactFile: the plugin folder could not be copied: {e.Message}");
            return false;
        }
    }

    // No plugin code may load before its folder passed the policy: loading alone runs module initializers.
    // False (with the problems added) when the plugin is refused or the dataset's pluginPolicy is unusable.
    private static bool PolicyAllows(Dataset dataset, string assemblyPath, string datasetFile, PolicyScanAhead? scanAhead,
        List<string> problems, out PolicyScanResult scan)
    {
        var configProblems = new List<string>();
        var policy = PluginPolicy.FromConfig(dataset.Config.PluginPolicy, configProblems);
        problems.AddRange(configProblems.Select(p => $"{datasetFile}: {p}"));
        scan = scanAhead?.ResultFor(assemblyPath, policy) ?? PluginPolicyScanner.Scan(assemblyPath, policy);
        problems.AddRange(scan.Problems().Select(p => $"readConnector.artifactFile: policy: {p}"));
        return configProblems.Count == 0 && scan.IsAllowed;
    }

    /// <summary>
    /// The dataset with an S3 link manifest's text read in. Read here rather than by the loader, which stays off the
    /// network; an unreadable manifest object is a dataset problem, as a missing manifest file is.
    /// </summary>
    /// <exception cref="DatasetConfigException">The manifest object could not be read.</exception>
    private static Dataset WithS3ManifestText(Dataset dataset)
    {
        if (dataset.ManifestS3Object is not { } uri)
        {
            return dataset;
        }

        var problems = new List<string>();
        string? text;
        try
        {
            using var client = S3Clients.Create(dataset.ReadConnector.ForcePathStyle, credentials: RuntimeCredentials.Current.For(dataset));
            // TryPrepare is synchronous (shared by run, validate and tests); the console host has no synchronization
            // context, so waiting here cannot deadlock.
            text = S3LinkManifestReader.TryReadAsync(client, uri, problems).GetAwaiter().GetResult();
        }
        catch (Amazon.Runtime.AmazonClientException e)
        {
            problems.Add(S3Clients.SetupProblem(S3LinkManifestReader.Field, e));
            text = null;
        }

        return text is null ? throw new DatasetConfigException(uri.ToString(), problems) : dataset with { ManifestText = text };
    }

    /// <summary>The supervisor's fetch of an <c>s3://</c> plugin into the cache (null for a local plugin, or with a problem).</summary>
    internal static ResolvedPluginArtifact? TryFetchPlugin(Dataset dataset, string? pluginCacheDirectory, List<string> problems)
    {
        try
        {
            return FetchS3Plugin(dataset, pluginCacheDirectory);
        }
        catch (PluginArtifactException e)
        {
            problems.Add($"readConnector.artifactFile: {e.Message}");
            return null;
        }
    }

    private static ResolvedPluginArtifact? FetchS3Plugin(Dataset dataset, string? pluginCacheDirectory)
    {
        if (dataset.PluginArtifact is not { } location)
        {
            return null;
        }

        using var client = CreateArtifactClient(dataset, location);
        var fetcher = new S3PluginArtifactFetcher(client, PluginArtifactCache.Resolve(pluginCacheDirectory));
        return (dataset.Bridge is null ? fetcher.FetchAsync(location, CancellationToken.None)
            : fetcher.FetchAsync(location, (at, folder) => ProjectZipLayout.FindFolder(at, folder, Bridge.BridgeProject.InterfacesFolder),
                CancellationToken.None)).GetAwaiter().GetResult();
    }

    private static Amazon.S3.AmazonS3Client CreateArtifactClient(Dataset dataset, PluginArtifactLocation location)
    {
        try
        {
            return S3Clients.Create(dataset.ReadConnector.ForcePathStyle, credentials: RuntimeCredentials.Current.For(dataset));
        }
        catch (Amazon.Runtime.AmazonClientException e)
        {
            throw new PluginArtifactException(location.ToString(), S3ObjectFailure.Describe(e, location.Object) ?? e.Message, e);
        }
    }

    /// <summary>
    /// Hands the plugin, its binding and <see cref="ShadowCopy"/> over to the run's hot update (its first version):
    /// <see cref="Dispose"/> leaves them alone from now on.
    /// </summary>
    internal PluginShadowCopy HandOverPlugin()
    {
        var copy = ShadowCopy ?? throw new InvalidOperationException("only a plugin loaded from a shadow copy (TryPrepareForRun) can be handed over");
        _pluginHandedOver = true;
        return copy;
    }

    public void Dispose()
    {
        if (_pluginHandedOver)
        {
            return;
        }

        Plugin?.Dispose();
        BridgeProject?.Dispose();
        if (ShadowCopy is { } copy)
        {
            PluginShadowCopy.TryDeleteFolder(Path.GetDirectoryName(copy.Folder)!);
        }
    }
}
