using System.Collections.Immutable;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Text.Json.Nodes;
using LetsData.Interfaces.Readers;
using LetsData.Runtime.Plugins;
using LetsData.Runtime.Plugins.Policy;

namespace LetsData.Runtime.Tests.Plugins.Policy;

/// <summary>
/// The scan reads every PE file of the plugin folder whatever its name, refuses folders that point the loader
/// elsewhere, and the loader loads only what the scan read. Real files in a copy of a test plugin's folder.
/// </summary>
[TestFixture]
public sealed class PluginFolderScanTests
{
    private const string ProcessStart = "System.Diagnostics.Process.Start(string)";

    // PolicyViolators' assembly, renamed: code the policy refuses, hidden under a name a *.dll scan would not read.
    [TestCase("Evil.exe")]
    [TestCase("EVIL.DLL")]
    [TestCase("Evil")]
    [TestCase("sub/Evil.bin")]
    public void APeFileOfAnyName_ListedByTheDepsJson_IsScanned(string fileName)
    {
        using var copy = PluginFolderCopy.Of("GoodParser");
        var evil = Path.Combine(copy.Folder, fileName);
        Directory.CreateDirectory(Path.GetDirectoryName(evil)!);
        File.Copy(TestPluginBuilds.PathOf("PolicyViolators"), evil);
        AddRuntimeAsset(copy, "GoodParser/1.0.0", fileName);

        var result = PluginPolicyScanner.Scan(copy.AssemblyPath, PluginPolicy.Default);

        Assert.Multiple(() =>
        {
            Assert.That(result.IsAllowed, Is.False);
            Assert.That(result.Refused.Select(r => r.FilePath), Is.EqualTo(new[] { evil }));
            Assert.That(result.Refused.Single().Violations.Select(v => v.FencedMember), Has.Member(ProcessStart));
        });
    }

    [Test]
    public void ACleanAssemblyUnderAnotherName_IsReadAndListedAsLoadable()
    {
        using var copy = PluginFolderCopy.Of("GoodParser");
        var renamed = Path.Combine(copy.Folder, "Helper.exe");
        File.Copy(copy.AssemblyPath, renamed);

        var result = PluginPolicyScanner.Scan(copy.AssemblyPath, PluginPolicy.Default);

        Assert.Multiple(() =>
        {
            Assert.That(result.IsAllowed, Is.True);
            Assert.That(result.ManagedFiles, Is.EquivalentTo(new[] { copy.AssemblyPath, renamed }));
        });
    }

    [Test]
    public void ANativePeFile_IsReportedButNotRefused()
    {
        using var copy = PluginFolderCopy.Of("GoodParser");
        var native = Path.Combine(copy.Folder, "libfast.so.dll");
        File.WriteAllBytes(native, NativePe.Build());

        var result = PluginPolicyScanner.Scan(copy.AssemblyPath, PluginPolicy.Default);

        Assert.Multiple(() =>
        {
            Assert.That(result.IsAllowed, Is.True, string.Join("; ", result.Problems()));
            Assert.That(result.NativeFiles, Is.EqualTo(new[] { native }));
            Assert.That(result.ManagedFiles, Has.No.Member(native));
        });
    }

    [Test]
    public void ANativePeFileTheDepsJsonListsAsManaged_IsRefused()
    {
        using var copy = PluginFolderCopy.Of("GoodParser");
        File.WriteAllBytes(Path.Combine(copy.Folder, "Fake.dll"), NativePe.Build());
        AddRuntimeAsset(copy, "GoodParser/1.0.0", "Fake.dll");

        var result = PluginPolicyScanner.Scan(copy.AssemblyPath, PluginPolicy.Default);

        Assert.Multiple(() =>
        {
            Assert.That(result.IsAllowed, Is.False);
            Assert.That(result.Problems(), Has.Some.Contains("Fake.dll").And.Contains("GoodParser.deps.json lists it as a managed assembly"));
        });
    }

    [TestCase("GoodParser.runtimeconfig.json")]
    [TestCase("GoodParser.runtimeconfig.dev.json")]
    public void AdditionalProbingPaths_InARuntimeConfig_AreRefusedNamingTheFileAndField(string fileName)
    {
        using var copy = PluginFolderCopy.Of("GoodParser");
        File.WriteAllText(Path.Combine(copy.Folder, fileName),
            """{ "runtimeOptions": { "tfm": "net10.0", "additionalProbingPaths": [ "/opt/letsdata/bin" ] } }""");

        var result = PluginPolicyScanner.Scan(copy.AssemblyPath, PluginPolicy.Default);

        Assert.Multiple(() =>
        {
            Assert.That(result.IsAllowed, Is.False);
            Assert.That(result.Problems(), Has.Some.StartsWith($"{fileName}: runtimeOptions.additionalProbingPaths").And.Contains("/opt/letsdata/bin"));
        });
    }

    [TestCase("../../outside")]
    [TestCase("/opt/letsdata/bin")]
    public void ADepsJsonLibraryPathOutsideTheFolder_IsRefusedNamingTheFileAndField(string libraryPath)
    {
        using var copy = PluginFolderCopy.Of("GoodParser");
        var deps = ReadDeps(copy);
        deps["libraries"]!["GoodParser/1.0.0"]!["path"] = libraryPath;
        WriteDeps(copy, deps);

        var result = PluginPolicyScanner.Scan(copy.AssemblyPath, PluginPolicy.Default);

        Assert.Multiple(() =>
        {
            Assert.That(result.IsAllowed, Is.False);
            Assert.That(result.Problems(), Has.Some.StartsWith("GoodParser.deps.json: libraries[\"GoodParser/1.0.0\"].path").And.Contains(libraryPath));
        });
    }

    [Test]
    public void ADepsJsonLibraryPathInsideTheFolder_IsFine()
    {
        // Package libraries carry a path such as "newtonsoft.json/13.0.4": relative, inside.
        var result = PluginPolicyScanner.Scan(TestPluginBuilds.PathOf("NewtonsoftV13Plugin"), PluginPolicy.Default);

        Assert.That(result.Problems(), Has.None.Contains(".deps.json"));
    }

    [Test]
    public void TheLoader_WithTheScannedFiles_LoadsThePlugin()
    {
        using var copy = PluginFolderCopy.Of("MissingDependencyPlugin");
        var scan = PluginPolicyScanner.Scan(copy.AssemblyPath, PluginPolicy.Default);

        using var plugin = PluginLoader.Load(copy.AssemblyPath, scan.ManagedFiles);
        var parser = plugin.CreateFactory<ISingleFileParser>("LetsData.TestPlugins.MissingDependencyPlugin.SplitterParser").CreateForTask();

        Assert.That(ParserCalls.ParseValues(parser, "a\nb")["lines"], Is.EqualTo(2));
    }

    [Test]
    public void TheLoader_RefusesADependencyTheScanDidNotRead()
    {
        // E.g. a file that appeared (or was swapped in under a new name) after the scan.
        using var copy = PluginFolderCopy.Of("MissingDependencyPlugin");
        var scan = PluginPolicyScanner.Scan(copy.AssemblyPath, PluginPolicy.Default);
        var withoutLib = scan.ManagedFiles.Where(f => Path.GetFileName(f) != "MissingDependencyLib.dll").ToList();
        Assert.That(withoutLib, Has.Count.EqualTo(scan.ManagedFiles.Count - 1), "precondition: the scan read the dependency");
        using var plugin = PluginLoader.Load(copy.AssemblyPath, withoutLib);

        var error = Assert.Throws<PluginLoadException>(() =>
            plugin.FindImplementation(typeof(ISingleFileParser), "LetsData.TestPlugins.MissingDependencyPlugin.DerivedParser"))!;

        Assert.That(error.Reason, Does.Contain("MissingDependencyLib.dll was not read by the policy scan"));
    }

    [Test]
    public void TheLoader_RefusesAMainAssemblyTheScanDidNotRead()
    {
        using var copy = PluginFolderCopy.Of("GoodParser");

        var error = Assert.Throws<PluginLoadException>(() => PluginLoader.Load(copy.AssemblyPath, []))!;

        Assert.That(error.Reason, Does.StartWith("the assembly could not be loaded").And.Contain("was not read by the policy scan"));
    }

    private static void AddRuntimeAsset(PluginFolderCopy copy, string library, string relativePath)
    {
        var deps = ReadDeps(copy);
        var target = deps["targets"]!.AsObject().Single().Value!;
        target[library]!["runtime"]![relativePath] = new JsonObject();
        WriteDeps(copy, deps);
    }

    private static JsonNode ReadDeps(PluginFolderCopy copy) =>
        JsonNode.Parse(File.ReadAllText(Path.ChangeExtension(copy.AssemblyPath, ".deps.json")))!;

    private static void WriteDeps(PluginFolderCopy copy, JsonNode deps) =>
        File.WriteAllText(Path.ChangeExtension(copy.AssemblyPath, ".deps.json"), deps.ToJsonString());

    /// <summary>A minimal native PE image: valid headers and one code section, no CLI header.</summary>
    private sealed class NativePe : PEBuilder
    {
        private NativePe()
            : base(PEHeaderBuilder.CreateLibraryHeader(), deterministicIdProvider: _ => new BlobContentId(Guid.Empty, 0))
        {
        }

        public static byte[] Build()
        {
            var image = new BlobBuilder();
            new NativePe().Serialize(image);
            return image.ToArray();
        }

        protected override ImmutableArray<Section> CreateSections() =>
            [new Section(".text", SectionCharacteristics.ContainsCode | SectionCharacteristics.MemRead | SectionCharacteristics.MemExecute)];

        protected override BlobBuilder SerializeSection(string name, SectionLocation location)
        {
            var code = new BlobBuilder();
            code.WriteBytes(0xC3, 16);
            return code;
        }

        protected override PEDirectoriesBuilder GetDirectories() => new();
    }
}
