using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Text.Json;

namespace LetsData.Benchmarks.CommonCrawl;

/// <summary>A generated Common Crawl trio, its uncompressed WARC copy, and what the generator says it holds.</summary>
internal sealed record CommonCrawlCorpus(string Directory, int Urls, int CompleteUrls, int WetGaps, int Corruptions,
    long WarcBytes, string Origin)
{
    public const string Warc = "corpus.warc.gz";
    public const string Wat = "corpus.warc.wat.gz";
    public const string Wet = "corpus.warc.wet.gz";

    /// <summary>The uncompressed copy of <see cref="Warc"/> (byte for byte its decompressed content).</summary>
    public const string PlainWarc = "corpus.warc";

    public static readonly string[] GzipFiles = [Warc, Wat, Wet];

    public string PathOf(string file) => Path.Combine(Directory, file);

    public long CompressedBytes => GzipFiles.Sum(f => new FileInfo(PathOf(f)).Length);
}

/// <summary>
/// What the Common Crawl benchmark needs on a fresh machine, created on first use and cached under artifacts/:
/// the corpus (tests/CorpusGenerator, built and run as a child process), an uncompressed copy of its WARC, and warcio
/// installed with <c>npm ci</c> from the committed, pinned package.json + package-lock.json.
/// </summary>
internal static class CommonCrawlSetup
{
    /// <summary>The generator settings of the cached corpus (the issue's ≥ 500 MB uncompressed WARC needs ~9,000 URLs).</summary>
    private const double WetGapRate = 0.02;
    private const int Corruptions = 10;

    public static CommonCrawlCorpus EnsureCorpus(RepositoryLayout layout, int urls)
    {
        var directory = Path.Combine(layout.Root, "artifacts", "commoncrawl-corpus", $"bench-{urls}");
        var manifest = Path.Combine(directory, "corpus.manifest.json");
        var origin = "cached";
        if (!File.Exists(manifest) || CommonCrawlCorpus.GzipFiles.Any(f => !File.Exists(Path.Combine(directory, f))))
        {
            var stopwatch = Stopwatch.StartNew();
            var project = Path.Combine(layout.Root, "tests", "CorpusGenerator", "CorpusGenerator.csproj");
            Console.Error.Write($"  building {Path.GetRelativePath(layout.Root, project)} ... ");
            Run("dotnet", ["build", project, "-c", "Release", "--nologo", "-v", "quiet"], layout.Root);
            var dll = Path.Combine(layout.Root, "tests", "CorpusGenerator", "bin", "Release", "net10.0", "CorpusGenerator.dll");
            // Written to a temporary folder and renamed: an interrupted generation is never mistaken for a corpus.
            var temporary = directory + ".tmp";
            if (System.IO.Directory.Exists(temporary))
            {
                System.IO.Directory.Delete(temporary, recursive: true);
            }

            Console.Error.Write($"generating {urls:N0} URLs into {Path.GetRelativePath(layout.Root, directory)} ... ");
            Run("dotnet", [dll, "--out", temporary, "--urls", urls.ToString(CultureInfo.InvariantCulture),
                "--wet-gap-rate", WetGapRate.ToString(CultureInfo.InvariantCulture),
                "--corruptions", Corruptions.ToString(CultureInfo.InvariantCulture)], layout.Root);
            if (System.IO.Directory.Exists(directory))
            {
                System.IO.Directory.Delete(directory, recursive: true);
            }

            System.IO.Directory.Move(temporary, directory);
            origin = $"generated in {stopwatch.Elapsed.TotalSeconds:F0} s";
            Console.Error.WriteLine($"{stopwatch.Elapsed.TotalSeconds:F0} s");
        }

        var plain = Path.Combine(directory, CommonCrawlCorpus.PlainWarc);
        if (!File.Exists(plain))
        {
            Console.Error.Write($"  decompressing {CommonCrawlCorpus.Warc} to {CommonCrawlCorpus.PlainWarc} ... ");
            using (var gzip = new GZipStream(File.OpenRead(Path.Combine(directory, CommonCrawlCorpus.Warc)), CompressionMode.Decompress))
            using (var output = File.Create(plain + ".tmp"))
            {
                gzip.CopyTo(output, 1 << 20);
            }

            File.Move(plain + ".tmp", plain, overwrite: true);
            Console.Error.WriteLine("done");
        }

        using var json = JsonDocument.Parse(File.ReadAllBytes(manifest));
        var fates = json.RootElement.GetProperty("Urls").EnumerateArray().Select(u => u.GetProperty("fate").GetString()).ToList();
        return new CommonCrawlCorpus(directory, fates.Count,
            CompleteUrls: fates.Count(f => f == "Complete"),
            WetGaps: fates.Count(f => f == "WetGap"),
            Corruptions: fates.Count(f => f is not "Complete" and not "WetGap"),
            WarcBytes: new FileInfo(plain).Length, origin);
    }

    /// <summary>
    /// Installs warcio into artifacts/warcio with <c>npm ci</c> from the committed lock file, unless the same lock file
    /// is already installed there. Returns the folder, or null (with the reason) when Node or npm is missing.
    /// </summary>
    public static string? EnsureWarcio(RepositoryLayout layout, out string? reason)
    {
        reason = null;
        var source = Path.Combine(AppContext.BaseDirectory, "CommonCrawl", "warcio");
        var target = Path.Combine(layout.Root, "artifacts", "warcio");
        var installedLock = Path.Combine(target, "package-lock.json");
        var marker = Path.Combine(target, "node_modules", "warcio", "package.json");
        var sourceLock = File.ReadAllText(Path.Combine(source, "package-lock.json"));
        if (File.Exists(marker) && File.Exists(installedLock) && File.ReadAllText(installedLock) == sourceLock)
        {
            return target;
        }

        System.IO.Directory.CreateDirectory(target);
        File.Copy(Path.Combine(source, "package.json"), Path.Combine(target, "package.json"), overwrite: true);
        File.Copy(Path.Combine(source, "package-lock.json"), installedLock, overwrite: true);
        Console.Error.Write($"  npm ci in {Path.GetRelativePath(layout.Root, target)} ... ");
        try
        {
            Run("npm", ["ci", "--no-audit", "--no-fund", "--loglevel", "error"], target);
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            reason = $"npm ci failed: {e.Message}";
            Console.Error.WriteLine(reason);
            return null;
        }

        Console.Error.WriteLine("done");
        return target;
    }

    private static void Run(string program, string[] arguments, string workingDirectory)
    {
        var start = new ProcessStartInfo(program, arguments)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start");
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"{program} {string.Join(' ', arguments)} exited with {process.ExitCode}: {stdout}{stderr.Result}");
        }
    }
}
