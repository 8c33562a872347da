using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text;
using Amazon.Runtime;
using LetsData.Interfaces.Documents;
using LetsData.Interfaces.Readers;

namespace LetsData.TestPlugins.WorkerReachPlugin;

/// <summary>
/// Each record names one way of reaching into the worker; the document says what came back. The AWSSDK.Core uses sit
/// in their own methods, so the class itself loads and the failure shows at first use.
/// </summary>
public sealed class WorkerReachParser : ISingleFileParser
{
    public const string UseAwsSdk = "use-aws-sdk";
    public const string TypeOfAwsType = "typeof-aws-type";
    public const string AwsTypeByName = "aws-type-by-name";
    public const string WorkerTypeByName = "worker-type-by-name";
    public const string LoadWorkerAssembly = "load-worker-assembly";

    public string S3FileType => "LINES";

    public string GetResolvedS3FileName(string s3FileType, string fileName) => fileName;

    public RecordParseHint GetRecordStartPattern(string s3FileType) => RecordParseHint.ForOffset(0);

    public RecordParseHint GetRecordEndPattern(string s3FileType) => RecordParseHint.ForPattern("\n");

    public ParseDocumentResult ParseDocument(string s3FileType, string s3FileName, long offsetBytes, ReadOnlySpan<byte> record)
    {
        var probe = Encoding.UTF8.GetString(record);
        var result = probe switch
        {
            UseAwsSdk => UseTheAwsSdk(),
            TypeOfAwsType => AwsCredentialsType(),
            AwsTypeByName => TypeByName("Amazon.Runtime.AWSCredentials, AWSSDK.Core"),
            WorkerTypeByName => TypeByName("LetsData.Runtime.Aws.Credentials.RuntimeCredentials, letsdata"),
            LoadWorkerAssembly => LoadByName("letsdata"),
            _ => throw new ArgumentException($"unknown probe {probe}", nameof(record)),
        };
        var keyValues = new Dictionary<string, object?> { ["probe"] = probe, ["result"] = result };
        return new ParseDocumentResult(null, new Document(probe, "Probe", null, keyValues), ParseDocumentResultStatus.Success);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static string UseTheAwsSdk() => new BasicAWSCredentials("probe-key", "probe-secret").GetCredentials().AccessKey;

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static string AwsCredentialsType() => typeof(AWSCredentials).Assembly.Location;

    private static string TypeByName(string name) => Type.GetType(name, throwOnError: false)?.Assembly.Location ?? "<not found>";

    private static string LoadByName(string name)
    {
        try
        {
            return Assembly.Load(new AssemblyName(name)).Location;
        }
        catch (FileNotFoundException e)
        {
            return $"<{e.GetType().Name}: {e.Message}>";
        }
    }
}
