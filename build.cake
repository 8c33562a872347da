// LetsData for .NET build script (Cake 7, run through ./build.sh).
//
//   ./build.sh                              Build (default)
//   ./build.sh --target=Test                Build, Publish, run every test project, print "N passed, N failed"
//   ./build.sh --target=Run                 Build, Publish, run the example datasets with the published worker
//   ./build.sh --target=Bench --bench-args="--only gzip --size-mb 200"   (passed verbatim to the bench program)
//   ./build.sh --target=MicroBench --micro-args="--filter *Scanner*"    BenchmarkDotNet micro-benchmarks (scanner,
//                                           inflaters; docs/micro-benchmarks.md), results in artifacts/micro-benchmarks/
//   ./build.sh --target=Pack                Packages to artifacts/packages/: LetsData.Interfaces, LetsData.Testing
//                                           (LetsData.Engine, no AWS), letsdata (the worker as a dotnet tool),
//                                           LetsData.Templates
//   ./build.sh --target=Clean
//
// Arguments: --configuration=Release|Debug (default Release), --test-filter=<dotnet test --filter>,
//            --test-hang-timeout=<e.g. 20m; kills a hung test host>, --bench-args=<passed to the bench program>,
//            --micro-args=<passed to BenchmarkDotNet: --filter, --list flat, ...>.
//
// Dependencies: Clean (none); Build (none); Pack (none: it builds what it packs); Publish -> Build; Run -> Publish; Test -> Publish; Bench -> Publish;
//               MicroBench (none: dotnet run builds the project in Release).

using System.Xml.Linq;

//////////////////////////////////////////////////////////////////////
// ARGUMENTS AND PATHS
//////////////////////////////////////////////////////////////////////

var target = Argument("target", "Build");
var configuration = Argument("configuration", "Release");
var testFilter = Argument("test-filter", string.Empty);
var testHangTimeout = Argument("test-hang-timeout", "20m");
var benchArgs = Argument("bench-args", string.Empty);
var microArgs = Argument("micro-args", string.Empty);

var root = MakeAbsolute(Directory("./"));
var solution = root.CombineWithFilePath("LetsData.sln");
var artifactsDir = root.Combine("artifacts");
var workerDir = artifactsDir.Combine("letsdata");
var workerExe = workerDir.CombineWithFilePath(IsRunningOnWindows() ? "letsdata.exe" : "letsdata");
var testResultsDir = artifactsDir.Combine("test-results");
var pluginsDir = root.Combine("plugins");
var runtimeProject = root.CombineWithFilePath("LetsData.Runtime/LetsData.Runtime.csproj");
var benchProject = root.CombineWithFilePath("bench/LetsData.Benchmarks/LetsData.Benchmarks.csproj");
var microBenchProject = root.CombineWithFilePath("bench/LetsData.MicroBenchmarks/LetsData.MicroBenchmarks.csproj");
var microBenchArtifactsDir = artifactsDir.Combine("micro-benchmarks");
var packagesDir = artifactsDir.Combine("packages");
var interfacesProject = root.CombineWithFilePath("LetsData.Interfaces/LetsData.Interfaces.csproj");
var engineProject = root.CombineWithFilePath("LetsData.Engine/LetsData.Engine.csproj");
var templatesProject = root.CombineWithFilePath("templates/LetsData.Templates.csproj");

// Example datasets the Run target executes, in order; missing files are skipped with a log line.
var runDatasets = new[]
{
    "datasets/target-uris.json",
    "datasets/wet-text.json",
    "datasets/commoncrawl.json",
};

// Sample plugin projects: every top-level LetsData.Plugins.* project (today LetsData.Plugins.Samples).
// Each is published to plugins/<ProjectName>/ for the worker's --plugins folder.
IEnumerable<FilePath> SamplePluginProjects() =>
    GetFiles(root.FullPath + "/LetsData.Plugins.*/*.csproj").OrderBy(p => p.FullPath, StringComparer.Ordinal);

// Test projects: tests/**/*.Tests.csproj. Test plugins under tests/TestPlugins are built by the solution
// build, they are not test projects themselves.
IEnumerable<FilePath> TestProjects() =>
    GetFiles(root.FullPath + "/tests/**/*.Tests.csproj")
        .Where(p => !p.FullPath.Contains("/tests/TestPlugins/", StringComparison.Ordinal)
                    && !p.FullPath.Contains("/bin/", StringComparison.Ordinal)
                    && !p.FullPath.Contains("/obj/", StringComparison.Ordinal))
        .OrderBy(p => p.FullPath, StringComparer.Ordinal);

// The closing "N passed, N failed" line of the Test target (null when Test did not get that far).
string testSummaryLine = null;

//////////////////////////////////////////////////////////////////////
// TEARDOWN: the Test summary must be the very last line of output
//////////////////////////////////////////////////////////////////////

Teardown(ctx =>
{
    if (!string.Equals(target, "Test", StringComparison.OrdinalIgnoreCase)
        || (testSummaryLine is null && ctx.Successful)) // e.g. --dryrun: nothing ran, nothing to report
    {
        return;
    }

    // Cake prints its task report and "Error: ..." after the teardown. For the Test target the summary line
    // has to close the output (CI reads it), so report any error here, print the line and exit directly.
    if (ctx.ThrownException is not null)
    {
        var ex = ctx.ThrownException is AggregateException agg && agg.InnerExceptions.Count == 1
            ? agg.InnerExceptions[0]
            : ctx.ThrownException;
        Error("Error: {0}", ex.Message);
    }

    // A failure before the tests ran (Build, Publish) still closes with a counted failure.
    var line = testSummaryLine ?? "0 passed, 1 failed";
    Console.Out.Flush();
    Console.Error.Flush();
    Console.WriteLine(line);
    Console.Out.Flush();
    Environment.Exit(ctx.Successful ? 0 : 1);
});

//////////////////////////////////////////////////////////////////////
// TASKS
//////////////////////////////////////////////////////////////////////

Task("Clean")
    .Description("dotnet clean the solution; delete artifacts/ and plugins/.")
    .Does(() =>
{
    foreach (var dir in new[] { artifactsDir, pluginsDir })
    {
        if (DirectoryExists(dir))
        {
            Information("Deleting {0}", dir);
            DeleteDirectory(dir, new DeleteDirectorySettings { Recursive = true, Force = true });
        }
    }

    DotNetClean(solution.FullPath, new DotNetCleanSettings
    {
        Configuration = configuration,
        NoLogo = true,
        Verbosity = DotNetVerbosity.Minimal,
    });
});

Task("Build")
    .Description("dotnet build LetsData.sln.")
    .Does(() =>
{
    DotNetBuild(solution.FullPath, new DotNetBuildSettings
    {
        Configuration = configuration,
        NoLogo = true,
        Verbosity = DotNetVerbosity.Minimal,
    });
});

Task("Publish")
    .Description("Publish the worker to artifacts/letsdata/ and each sample plugin to plugins/<ProjectName>/.")
    .IsDependentOn("Build")
    .Does(() =>
{
    // The worker: self-contained, not single-file, runnable as artifacts/letsdata/letsdata. Published as one composite
    // ReadyToRun image with the framework for this machine's runtime identifier (LetsData.Runtime.csproj), which is a
    // build of its own: no --no-build here.
    CleanDirectory(workerDir);
    DotNetPublish(runtimeProject.FullPath, new DotNetPublishSettings
    {
        Configuration = configuration,
        OutputDirectory = workerDir,
        SelfContained = true,
        PublishSingleFile = false,
        NoLogo = true,
        Verbosity = DotNetVerbosity.Minimal,
    });
    if (!FileExists(workerExe))
    {
        throw new CakeException($"Publish did not produce the worker executable {workerExe}.");
    }

    // The plugins: one folder per plugin, holding the plugin, its .deps.json and private dependencies,
    // never the contract assembly (it must come from the host, or type identity breaks).
    var plugins = SamplePluginProjects().ToList();
    if (plugins.Count == 0)
    {
        throw new CakeException("No sample plugin project found (LetsData.Plugins.*/*.csproj).");
    }

    foreach (var project in plugins)
    {
        var name = project.GetFilenameWithoutExtension().FullPath;
        var outDir = pluginsDir.Combine(name);
        if (DirectoryExists(outDir))
        {
            DeleteDirectory(outDir, new DeleteDirectorySettings { Recursive = true, Force = true });
        }

        DotNetPublish(project.FullPath, new DotNetPublishSettings
        {
            Configuration = configuration,
            OutputDirectory = outDir,
            NoBuild = true,
            NoRestore = true,
            NoLogo = true,
            Verbosity = DotNetVerbosity.Minimal,
        });

        if (!FileExists(outDir.CombineWithFilePath(name + ".dll")))
        {
            throw new CakeException($"Publishing {name} did not produce {outDir}/{name}.dll.");
        }

        var contractCopies = GetFiles(outDir.FullPath + "/**/LetsData.Interfaces.dll");
        if (contractCopies.Count > 0)
        {
            throw new CakeException(
                $"Plugin folder {outDir} contains {string.Join(", ", contractCopies.Select(f => f.FullPath))}: "
                + "a plugin must reference LetsData.Interfaces with Private=\"false\" ExcludeAssets=\"runtime\".");
        }

        Information("Published plugin {0} to {1}", name, root.GetRelativePath(outDir));
    }

    Information("Published worker to {0}", root.GetRelativePath(workerExe));
});

Task("Pack")
    .Description("Pack LetsData.Interfaces, LetsData.Testing, the letsdata tool and LetsData.Templates to artifacts/packages/.")
    .Does(() =>
{
    CleanDirectory(packagesDir);

    void Pack(FilePath project, string letsDataPackage = null, bool noBuild = false)
    {
        var settings = new DotNetPackSettings
        {
            Configuration = configuration,
            OutputDirectory = packagesDir,
            NoBuild = noBuild,
            NoLogo = true,
            Verbosity = DotNetVerbosity.Minimal,
            MSBuildSettings = new DotNetMSBuildSettings(),
        };
        if (letsDataPackage is not null)
        {
            // LetsData.Engine.csproj packs as LetsData.Testing, LetsData.Runtime.csproj as the tool, when asked by name.
            settings.MSBuildSettings.WithProperty("LetsDataPackage", letsDataPackage);
        }

        DotNetPack(project.FullPath, settings);
    }

    Pack(interfacesProject);
    Pack(engineProject, "Testing");
    Pack(runtimeProject, "Tool");
    Pack(templatesProject);

    // The contract package is compile-only: an assembly under lib/ would be copied into every plugin's output.
    var contractPackage = GetFiles(packagesDir.FullPath + "/LetsData.Interfaces.*.nupkg").Single();
    using (var zip = System.IO.Compression.ZipFile.OpenRead(contractPackage.FullPath))
    {
        if (zip.Entries.Any(e => e.FullName.StartsWith("lib/", StringComparison.Ordinal))
            || !zip.Entries.Any(e => e.FullName.StartsWith("ref/", StringComparison.Ordinal)))
        {
            throw new CakeException($"{contractPackage.GetFilename()} must hold its assembly under ref/ only, never lib/.");
        }
    }

    // The test harness package is the engine alone: a plugin's test project must not pull in the worker's AWS SDK,
    // telemetry, hosting or V8 (LetsData.Engine.csproj references none of them; this keeps it so).
    var forbiddenInTesting = new[] { "AWSSDK.", "OpenTelemetry", "Microsoft.Extensions.Hosting", "Microsoft.ClearScript" };
    var testingPackage = GetFiles(packagesDir.FullPath + "/LetsData.Testing.*.nupkg").Single();
    using (var zip = System.IO.Compression.ZipFile.OpenRead(testingPackage.FullPath))
    {
        var nuspec = zip.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal));
        XDocument spec;
        using (var stream = nuspec.Open())
        {
            spec = XDocument.Load(stream);
        }

        var dependencies = spec.Descendants().Where(e => e.Name.LocalName == "dependency")
            .Select(e => (string)e.Attribute("id") ?? string.Empty).ToList();
        var forbidden = dependencies.Where(id => forbiddenInTesting.Any(f => id.StartsWith(f, StringComparison.OrdinalIgnoreCase))).ToList();
        if (forbidden.Count > 0)
        {
            throw new CakeException($"{testingPackage.GetFilename()} depends on {string.Join(", ", forbidden)}: the test harness package must not bring the worker's AWS SDK, OpenTelemetry, Hosting or ClearScript.");
        }

        foreach (var assembly in new[] { "LetsData.Engine.dll", "LetsData.Interfaces.dll" })
        {
            if (!zip.Entries.Any(e => e.FullName.StartsWith("lib/", StringComparison.Ordinal) && e.Name == assembly))
            {
                throw new CakeException($"{testingPackage.GetFilename()} has no lib/.../{assembly}.");
            }
        }

        Information("{0}: dependencies {1}", testingPackage.GetFilename(), dependencies.Count == 0 ? "none" : string.Join(", ", dependencies));
    }

    foreach (var package in GetFiles(packagesDir.FullPath + "/*.nupkg").OrderBy(p => p.FullPath, StringComparer.Ordinal))
    {
        Information("Packed {0}", root.GetRelativePath(package));
    }
});

Task("Run")
    .Description("Run the example datasets with the published worker (artifacts/letsdata/letsdata run ...).")
    .IsDependentOn("Publish")
    .Does(() =>
{
    var failures = new List<string>();
    var ran = 0;
    foreach (var dataset in runDatasets)
    {
        if (!FileExists(root.CombineWithFilePath(dataset)))
        {
            Information("Skipping {0}: file not found.", dataset);
            continue;
        }

        var args = new ProcessArgumentBuilder()
            .Append("run")
            .Append("--dataset").AppendQuoted(dataset)
            .Append("--plugins").AppendQuoted("plugins")
            // The main job shows the samples' documents every time, not "already completed, skipped" from an earlier Run.
            .Append("--rerun-completed");
        Information("> {0} {1}", root.GetRelativePath(workerExe), args.Render());

        // Output is not redirected: the worker's progress and summary stream straight to the console.
        var exitCode = StartProcess(workerExe, new ProcessSettings
        {
            Arguments = args,
            WorkingDirectory = root,
        });
        ran++;
        if (exitCode != 0)
        {
            Error("{0} exited with code {1}.", dataset, exitCode);
            failures.Add($"{dataset} (exit code {exitCode})");
        }
    }

    if (ran == 0)
    {
        Warning("No dataset file found; nothing was run.");
    }

    if (failures.Count > 0)
    {
        throw new CakeException("Dataset run(s) failed: " + string.Join(", ", failures));
    }
});

Task("Test")
    .Description("Run every test project (no build) with trx results in artifacts/test-results/; last line 'N passed, N failed'.")
    .IsDependentOn("Publish")
    .Does(() =>
{
    CleanDirectory(testResultsDir);

    var projects = TestProjects().ToList();
    if (projects.Count == 0)
    {
        testSummaryLine = "0 passed, 1 failed";
        throw new CakeException("No test project found (tests/**/*.Tests.csproj).");
    }

    var projectsThatFailedToRun = new List<string>();
    foreach (var project in projects)
    {
        var name = project.GetFilenameWithoutExtension().FullPath;
        var exitCode = 0;
        var settings = new DotNetTestSettings
        {
            Configuration = configuration,
            NoBuild = true,
            NoRestore = true,
            NoLogo = true,
            ResultsDirectory = testResultsDir,
            Loggers = new[] { $"trx;LogFilePrefix={name}" },
            Filter = string.IsNullOrWhiteSpace(testFilter) ? null : testFilter,
            // A hung test host is killed (and reported) instead of eating CI's whole time budget.
            ArgumentCustomization = a => string.IsNullOrWhiteSpace(testHangTimeout)
                ? a
                : a.Append("--blame-hang-timeout").Append(testHangTimeout)
                   .Append("--blame-hang-dump-type").Append("none"),
            // Keep going after a failing project; the exit code is judged together with its trx below.
            HandleExitCode = code => { exitCode = code; return true; },
        };

        Information("> dotnet test {0}", root.GetRelativePath(project));
        try
        {
            DotNetTest(project.FullPath, settings);
        }
        catch (Exception ex)
        {
            Error("dotnet test {0} could not run: {1}", name, ex.Message);
            exitCode = exitCode == 0 ? -1 : exitCode;
        }

        var counts = ReadTrxCounts(GetFiles(testResultsDir.FullPath + "/" + name + "_*.trx"));
        if (counts.Files == 0)
        {
            Error("{0}: no trx file was written (exit code {1}).", name, exitCode);
            projectsThatFailedToRun.Add(name);
        }
        else if (exitCode != 0 && counts.Failed == 0)
        {
            // Non-zero exit without a failed test: crashed host, hang timeout, aborted run.
            Error("{0}: dotnet test exited with code {1} but no test failed (test host crash or aborted run?).", name, exitCode);
            projectsThatFailedToRun.Add(name);
        }
    }

    // The summary is summed over every trx file in artifacts/test-results/.
    var total = ReadTrxCounts(GetFiles(testResultsDir.FullPath + "/*.trx"));
    var failed = total.Failed + projectsThatFailedToRun.Count;
    var noTests = total.Passed + total.Failed == 0;
    if (noTests && failed == 0)
    {
        failed = 1; // "ran no test" is a failure, and the closing line says so.
    }

    // The closing line is exactly "N passed, N failed" (CI reads it); skipped (explicit) tests are reported before it.
    testSummaryLine = $"{total.Passed} passed, {failed} failed";
    Information("Test results: {0} trx file(s) in {1}; {2} skipped (explicit tests run only when named)",
        total.Files, root.GetRelativePath(testResultsDir), total.Skipped);

    if (projectsThatFailedToRun.Count > 0)
    {
        throw new CakeException("Test project(s) failed to run: " + string.Join(", ", projectsThatFailedToRun));
    }

    if (total.Failed > 0)
    {
        throw new CakeException($"{total.Failed} test(s) failed.");
    }

    if (noTests)
    {
        throw new CakeException("No test ran.");
    }
});

Task("Bench")
    .Description("dotnet run -c Release --project bench/LetsData.Benchmarks -- <--bench-args>.")
    // Publish first: the start-up benchmark launches the published worker and must measure this build of it.
    .IsDependentOn("Publish")
    .Does(() =>
{
    var args = new ProcessArgumentBuilder();
    if (!string.IsNullOrWhiteSpace(benchArgs))
    {
        args.Append(benchArgs); // passed through verbatim after "--"
    }

    DotNetRun(benchProject.FullPath, args, new DotNetRunSettings
    {
        Configuration = "Release",
    });
});

Task("MicroBench")
    .Description("BenchmarkDotNet micro-benchmarks (bench/LetsData.MicroBenchmarks) -- <--micro-args>; results in artifacts/micro-benchmarks/.")
    .Does(() =>
{
    // Always Release: BenchmarkDotNet refuses a non-optimized build. No filter in --micro-args runs every benchmark.
    var args = new ProcessArgumentBuilder()
        .Append("--artifacts").AppendQuoted(microBenchArtifactsDir.FullPath);
    if (!string.IsNullOrWhiteSpace(microArgs))
    {
        args.Append(microArgs); // passed through verbatim after "--"
    }

    DotNetRun(microBenchProject.FullPath, args, new DotNetRunSettings
    {
        Configuration = "Release",
    });
});

//////////////////////////////////////////////////////////////////////
// TRX PARSING
//////////////////////////////////////////////////////////////////////

// Sums TestRun/ResultSummary/Counters over trx files.
//  passed  = passed + passedButRunAborted
//  failed  = failed + error + timeout + aborted
//  skipped = total - passed - failed: VSTest counts NUnit's ignored/explicit/inconclusive tests in "total"
//            but not in "executed", and leaves "notExecuted" at 0, so the remainder is what did not run.
TrxCounts ReadTrxCounts(IEnumerable<FilePath> files)
{
    var result = new TrxCounts();
    foreach (var file in files)
    {
        var doc = XDocument.Load(file.FullPath);
        var counters = doc.Descendants().FirstOrDefault(e => e.Name.LocalName == "Counters"
                                                            && e.Parent?.Name.LocalName == "ResultSummary");
        if (counters is null)
        {
            throw new CakeException($"{file.FullPath}: no ResultSummary/Counters element.");
        }

        int Attr(string attributeName) => int.TryParse((string)counters.Attribute(attributeName), out var v) ? v : 0;

        var passed = Attr("passed") + Attr("passedButRunAborted");
        var failed = Attr("failed") + Attr("error") + Attr("timeout") + Attr("aborted");
        var skipped = Math.Max(Attr("notExecuted"), Attr("total") - passed - failed);
        result = new TrxCounts(result.Files + 1, result.Passed + passed, result.Failed + failed, result.Skipped + Math.Max(0, skipped));
    }

    return result;
}

public record TrxCounts(int Files = 0, int Passed = 0, int Failed = 0, int Skipped = 0);

//////////////////////////////////////////////////////////////////////
// EXECUTION
//////////////////////////////////////////////////////////////////////

RunTarget(target);
