namespace LetsData.TestPlugins.MissingDependencyLib;

/// <summary>A helper plugin classes create in their constructors.</summary>
public sealed class LineSplitter
{
    public IReadOnlyList<string> Split(string text) => text.Split('\n');
}
