using LetsData.Runtime.Plugins;

namespace LetsData.Runtime.Tests.Plugins;

/// <summary>
/// A self-contained worker keeps the runtime in its own folder, next to its own assemblies: what a plugin may share
/// with it as "the framework" comes from the runtime pack its deps file lists, never from that folder.
/// </summary>
public sealed class FrameworkAssemblyNamesTests
{
    private string _folder = null!;

    [SetUp]
    public void CreateFolder() => _folder = Directory.CreateTempSubdirectory("letsdata-deps-").FullName;

    [TearDown]
    public void RemoveFolder() => Directory.Delete(_folder, recursive: true);

    [Test]
    public void TheRuntimePackAssemblies_AreTheFramework_TheWorkersPackagesAreNot()
    {
        var deps = Write("letsdata.deps.json", """
            {
              "runtimeTarget": { "name": ".NETCoreApp,Version=v10.0/linux-x64" },
              "targets": {
                ".NETCoreApp,Version=v10.0": {},
                ".NETCoreApp,Version=v10.0/linux-x64": {
                  "letsdata/1.0.0": { "runtime": { "letsdata.dll": {} } },
                  "runtimepack.Microsoft.NETCore.App.Runtime.linux-x64/10.0.12": {
                    "runtime": { "System.Private.CoreLib.dll": {}, "System.Runtime.dll": {}, "System.Text.Json.dll": {} },
                    "native": { "libcoreclr.so": {} }
                  },
                  "Newtonsoft.Json/13.0.3": { "runtime": { "lib/net6.0/Newtonsoft.Json.dll": {} } },
                  "AWSSDK.Core/4.1.1": { "runtime": { "lib/net8.0/AWSSDK.Core.dll": {} } }
                }
              }
            }
            """);

        var names = PluginLoadContext.RuntimePackAssemblyNames(deps);

        Assert.That(names, Is.EquivalentTo(new[] { "System.Private.CoreLib", "System.Runtime", "System.Text.Json" }));
        Assert.That(names.Contains("system.runtime"), Is.True, "names compare as the loader does, ignoring case");
    }

    [Test]
    public void ADepsFileWithoutARuntimePack_IsSaidAtOnce()
    {
        var deps = Write("app.deps.json", """{ "targets": { "t": { "Newtonsoft.Json/13.0.3": { "runtime": { "Newtonsoft.Json.dll": {} } } } } }""");

        Assert.That(() => PluginLoadContext.RuntimePackAssemblyNames(deps),
            Throws.InvalidOperationException.With.Message.Contains("runtimepack.Microsoft.NETCore.App.Runtime"));
        Assert.That(() => PluginLoadContext.RuntimePackAssemblyNames(Path.Combine(_folder, "missing.deps.json")), Throws.InvalidOperationException);
    }

    [Test]
    public void ThisTestHost_IsFrameworkDependent_SoItsWorkerAssembliesAreNotFramework()
    {
        Assert.That(PluginLoadContext.IsFrameworkAssembly("System.Runtime"), Is.True);
        Assert.That(PluginLoadContext.IsFrameworkAssembly("letsdata"), Is.False);
        Assert.That(PluginLoadContext.IsFrameworkAssembly("AWSSDK.Core"), Is.False);
    }

    private string Write(string name, string text)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllText(path, text);
        return path;
    }
}
