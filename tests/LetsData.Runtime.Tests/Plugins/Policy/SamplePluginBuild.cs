using System.Reflection;

namespace LetsData.Runtime.Tests.Plugins.Policy;

/// <summary>The build output of the shipped sample plugin (this test project builds it first, without referencing it).</summary>
internal static class SamplePluginBuild
{
    private const string Name = "LetsData.Plugins.Samples";

    public static string PathOf()
    {
        var configuration = typeof(SamplePluginBuild).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        var tfm = Path.GetFileName(TestPluginBuilds.FolderOf("GoodParser"));
        for (var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); dir is not null; dir = dir.Parent)
        {
            var path = Path.Combine(dir.FullName, Name, "bin", configuration, tfm, Name + ".dll");
            if (File.Exists(path))
            {
                return path;
            }
        }

        Assert.Fail($"{Name} is not built; build tests/LetsData.Runtime.Tests (it builds the sample plugin).");
        return "";
    }
}
