using System.Reflection;
using System.Runtime.Versioning;

namespace LetsData.Runtime.Tests.Plugins;

/// <summary>
/// Finds the build output of the plugin projects under tests/TestPlugins. This test project builds them
/// first (ProjectReference, ReferenceOutputAssembly="false") in its own configuration, into their own
/// bin/&lt;Configuration&gt;/&lt;tfm&gt;/ folders, which are laid out like deployed plugin folders.
/// </summary>
internal static class TestPluginBuilds
{
    private static readonly Lazy<string> TestPluginsFolder = new(FindTestPluginsFolder);

    public static string PathOf(string pluginName)
    {
        var assembly = typeof(TestPluginBuilds).Assembly;
        var configuration = assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        var framework = new FrameworkName(assembly.GetCustomAttribute<TargetFrameworkAttribute>()!.FrameworkName);
        var tfm = $"net{framework.Version.Major}.{framework.Version.Minor}";
        var path = Path.Combine(TestPluginsFolder.Value, pluginName, "bin", configuration, tfm, pluginName + ".dll");
        if (!File.Exists(path))
        {
            Assert.Fail($"Test plugin {pluginName} is not built at {path}; build tests/LetsData.Runtime.Tests (it builds the test plugins).");
        }

        return path;
    }

    public static string FolderOf(string pluginName) => Path.GetDirectoryName(PathOf(pluginName))!;

    private static string FindTestPluginsFolder()
    {
        for (var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "TestPlugins");
            if (File.Exists(Path.Combine(candidate, "Directory.Build.props")))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException($"tests/TestPlugins not found above {TestContext.CurrentContext.TestDirectory}");
    }
}
