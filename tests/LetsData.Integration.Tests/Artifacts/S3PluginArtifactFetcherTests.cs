using Amazon.S3;
using Amazon.S3.Model;
using LetsData.Integration.Tests.Support;
using LetsData.Runtime.Aws;
using LetsData.Runtime.Plugins.Artifacts;

namespace LetsData.Integration.Tests.Artifacts;

/// <summary>
/// Fetching plugin zips from s3rver into a cache of this fixture, in-process: download, cache hit without a GET, a new
/// upload into a new folder, and each failure naming the URI with its reason.
/// </summary>
public class S3PluginArtifactFetcherTests
{
    private string _bucket = "";
    private string _directory = "";

    private string CacheRoot => Path.Combine(_directory, "cache");

    [OneTimeSetUp]
    public async Task CreateBucket()
    {
        _bucket = $"letsdata-art-{Guid.NewGuid().ToString("N")[..12]}";
        using var client = NewClient();
        await client.PutBucketAsync(new PutBucketRequest { BucketName = _bucket });
    }

    [SetUp]
    public void CreateDirectory() => _directory = Directory.CreateTempSubdirectory("letsdata-fetch-tests-").FullName;

    [TearDown]
    public void DeleteDirectory() => Directory.Delete(_directory, recursive: true);

    [Test]
    public async Task DownloadsOnceThenServesFromTheCacheWithoutAGet()
    {
        var key = await UploadAsync("plugin.zip", TestZips.FakePlugin("MyPlugin", "MyPlugin/"));
        var recorder = new RequestRecordingHttpClientFactory();
        using var client = NewClient(recorder);
        var fetcher = new S3PluginArtifactFetcher(client, new PluginArtifactCache(CacheRoot));
        var location = Location(key);

        var first = await fetcher.FetchAsync(location, CancellationToken.None);
        var requestsForFirst = recorder.Requests.ToArray();
        var second = await fetcher.FetchAsync(location, CancellationToken.None);
        var requestsForSecond = recorder.Requests.Skip(requestsForFirst.Length).ToArray();

        Assert.That(first.FromCache, Is.False);
        Assert.That(first.DownloadedBytes, Is.GreaterThan(0));
        Assert.That(File.ReadAllText(first.AssemblyPath), Is.EqualTo("not really an assembly"));
        Assert.That(Path.GetFileName(first.AssemblyPath), Is.EqualTo("MyPlugin.dll"));
        Assert.That(requestsForFirst.Count(r => r.StartsWith("GET ", StringComparison.Ordinal)), Is.EqualTo(1), string.Join("\n", requestsForFirst));
        Assert.That(second.FromCache, Is.True);
        Assert.That(second.AssemblyPath, Is.EqualTo(first.AssemblyPath));
        Assert.That(second.ETag, Is.EqualTo(first.ETag));
        Assert.That(requestsForSecond, Has.Length.EqualTo(1).And.All.StartsWith("HEAD "), "only a HEAD the second time");
        Assert.That(WorkingLeftovers(), Is.Empty);
    }

    [Test]
    public async Task ANewUploadGoesIntoAFreshFolder()
    {
        var key = await UploadAsync("replaced.zip", TestZips.FakePlugin("MyPlugin"));
        using var client = NewClient();
        var fetcher = new S3PluginArtifactFetcher(client, new PluginArtifactCache(CacheRoot));
        var before = await fetcher.FetchAsync(Location(key), CancellationToken.None);

        await UploadAsync("replaced.zip", [.. TestZips.FakePlugin("MyPlugin"), ("NEW.txt", "second version")]);
        var after = await fetcher.FetchAsync(Location(key), CancellationToken.None);

        Assert.That(after.FromCache, Is.False);
        Assert.That(after.ETag, Is.Not.EqualTo(before.ETag));
        Assert.That(Path.GetDirectoryName(after.AssemblyPath), Is.Not.EqualTo(Path.GetDirectoryName(before.AssemblyPath)));
        Assert.That(File.Exists(Path.Combine(Path.GetDirectoryName(after.AssemblyPath)!, "NEW.txt")), Is.True);
        Assert.That(File.Exists(before.AssemblyPath), Is.True, "the old version's folder is left alone (a running worker may use it)");
    }

    [Test]
    public async Task TheNamedAssemblyIsChosen()
    {
        var key = await UploadAsync("two.zip", [.. TestZips.FakePlugin("One"), .. TestZips.FakePlugin("Two")]);
        using var client = NewClient();
        var fetcher = new S3PluginArtifactFetcher(client, new PluginArtifactCache(CacheRoot));

        var resolved = await fetcher.FetchAsync(PluginArtifactLocation.TryParse($"s3://{_bucket}/{key}#Two.dll", out _)!, CancellationToken.None);

        Assert.That(Path.GetFileName(resolved.AssemblyPath), Is.EqualTo("Two.dll"));
    }

    [Test]
    public void AMissingObjectIsNamed()
    {
        var e = FetchFails("does/not/exist.zip");

        Assert.That(e.Message, Is.EqualTo($"s3://{_bucket}/does/not/exist.zip: no such object"));
    }

    [Test]
    public void AMissingBucketIsNamed()
    {
        using var client = NewClient();
        var fetcher = new S3PluginArtifactFetcher(client, new PluginArtifactCache(CacheRoot));

        var e = Assert.ThrowsAsync<PluginArtifactException>(() =>
            fetcher.FetchAsync(Location("p.zip", "no-such-bucket-letsdata"), CancellationToken.None));

        Assert.That(e!.Message, Does.StartWith("s3://no-such-bucket-letsdata/p.zip: "));
    }

    [Test]
    public async Task AccessDeniedIsNamed()
    {
        var key = await UploadAsync("denied.zip", TestZips.FakePlugin("MyPlugin"));
        var refusing = new RequestRecordingHttpClientFactory { Refuse = r => r.Contains("denied.zip", StringComparison.Ordinal) };
        using var client = NewClient(refusing);
        var fetcher = new S3PluginArtifactFetcher(client, new PluginArtifactCache(CacheRoot));

        var e = Assert.ThrowsAsync<PluginArtifactException>(() => fetcher.FetchAsync(Location(key), CancellationToken.None));

        Assert.That(e!.Message, Does.StartWith($"s3://{_bucket}/{key}: access denied"));
    }

    [Test]
    public async Task NotAZipIsNamedAndNotCached()
    {
        using (var client = NewClient())
        {
            await client.PutObjectAsync(new PutObjectRequest { BucketName = _bucket, Key = "text.zip", ContentBody = "just text" });
        }

        var e = FetchFails("text.zip");

        Assert.That(e.Message, Does.StartWith($"s3://{_bucket}/text.zip: not a zip archive"));
        Assert.That(WorkingLeftovers(), Is.Empty);
        Assert.That(EntryFolders(), Is.Empty);
    }

    [Test]
    public async Task AnEscapingEntryIsRefusedAndNothingLandsOutside()
    {
        var key = await UploadAsync("evil.zip", [.. TestZips.FakePlugin("MyPlugin"), ("../evil", "gotcha")]);

        var e = FetchFails(key);

        Assert.That(e.Message, Does.StartWith($"s3://{_bucket}/{key}: unsafe zip refused: the zip entry '../evil'"));
        Assert.That(Directory.EnumerateFiles(_directory, "evil", SearchOption.AllDirectories), Is.Empty);
        Assert.That(EntryFolders(), Is.Empty);
    }

    [Test]
    public async Task AZipWithoutAPluginIsNamedAndNotCached()
    {
        var key = await UploadAsync("empty-plugin.zip", [("readme.txt", "no plugin here")]);

        var e = FetchFails(key);

        Assert.That(e.Message, Does.StartWith($"s3://{_bucket}/{key}: no plugin DLL inside"));
        Assert.That(EntryFolders(), Is.Empty);
        Assert.That(WorkingLeftovers(), Is.Empty);
    }

    private PluginArtifactException FetchFails(string key)
    {
        using var client = NewClient();
        var fetcher = new S3PluginArtifactFetcher(client, new PluginArtifactCache(CacheRoot));
        return Assert.ThrowsAsync<PluginArtifactException>(() => fetcher.FetchAsync(Location(key), CancellationToken.None))!;
    }

    private PluginArtifactLocation Location(string key, string? bucket = null) => new(new S3ObjectUri(bucket ?? _bucket, key), null);

    private async Task<string> UploadAsync(string key, (string Name, string Text)[] entries)
    {
        var zip = TestZips.Write(Path.Combine(_directory, $"{Guid.NewGuid():N}.zip"), entries);
        using var client = NewClient();
        await client.PutObjectAsync(new PutObjectRequest { BucketName = _bucket, Key = key, FilePath = zip });
        return key;
    }

    /// <summary>Complete cache entries: folders three levels below the root (bucket/key/etag).</summary>
    private string[] EntryFolders() => !Directory.Exists(CacheRoot)
        ? []
        : Directory.GetDirectories(CacheRoot).SelectMany(Directory.GetDirectories).SelectMany(Directory.GetDirectories)
            .Where(d => !Path.GetFileName(d).StartsWith('.')).ToArray();

    private string[] WorkingLeftovers() => !Directory.Exists(CacheRoot)
        ? []
        : Directory.EnumerateFileSystemEntries(CacheRoot, ".tmp-*", SearchOption.AllDirectories).ToArray();

    private static AmazonS3Client NewClient(RequestRecordingHttpClientFactory? recorder = null)
    {
        var config = new AmazonS3Config { ForcePathStyle = true };
        if (recorder is not null)
        {
            config.HttpClientFactory = recorder;
        }

        return new AmazonS3Client(config);
    }
}
