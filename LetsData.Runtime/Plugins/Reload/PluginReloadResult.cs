namespace LetsData.Runtime.Plugins.Reload;

/// <summary>What a reload did: the version now current and, when the new build was refused, why.</summary>
/// <param name="Succeeded">True when the new build became the current version.</param>
/// <param name="CurrentVersion">The version new tasks get now (the old one when the reload failed).</param>
/// <param name="Message">A line for logs and for <c>letsdata plugins reload</c>: what was loaded, or why it was refused.</param>
public sealed record PluginReloadResult(bool Succeeded, int CurrentVersion, string Message);
