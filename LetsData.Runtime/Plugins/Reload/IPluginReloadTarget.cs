namespace LetsData.Runtime.Plugins.Reload;

/// <summary>
/// What a reload trigger (<c>letsdata plugins reload</c>, the folder watcher) reloads: the in-process
/// <see cref="VersionedPluginHost"/>, or a supervisor that moves its data-task processes to the new build.
/// </summary>
public interface IPluginReloadTarget
{
    /// <summary>The plugin's name, for log lines.</summary>
    string PluginName { get; }

    /// <summary>Makes the plugin folder's current build the current version, or says why it stays as it is.</summary>
    PluginReloadResult Reload();
}
