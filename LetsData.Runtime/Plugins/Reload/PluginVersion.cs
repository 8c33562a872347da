using LetsData.Runtime.Engine;

namespace LetsData.Runtime.Plugins.Reload;

/// <summary>
/// One loaded build of a plugin: its context, its binding, and the tasks leasing it. Once retired (a newer version
/// became current) it is unloaded as soon as its last lease ends. Fields change only under the host's lock.
/// </summary>
internal sealed class PluginVersion(int number, LoadedPlugin plugin, ReaderBinding binding, PluginShadowCopy copy)
{
    public int Number { get; } = number;

    public PluginShadowCopy Copy { get; } = copy;

    /// <summary>Null once unloading started: the version no longer references the plugin.</summary>
    public LoadedPlugin? Plugin { get; set; } = plugin;

    public ReaderBinding? Binding { get; set; } = binding;

    public int Leases { get; set; }

    public bool Retired { get; set; }

    public bool UnloadStarted { get; set; }
}
