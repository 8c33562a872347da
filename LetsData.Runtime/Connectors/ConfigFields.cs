using LetsData.Runtime.Datasets;

namespace LetsData.Runtime.Connectors;

/// <summary>Checks shared by connector sections: fields a destination does not use, AWS resource names.</summary>
internal static class ConfigFields
{
    /// <summary>Adds a problem for each field that is set but has no meaning for the connector's destination.</summary>
    public static void Forbid(string field, string destination, List<string> problems, params (string Name, object? Value)[] fields)
    {
        foreach (var (name, value) in fields)
        {
            if (value is not null)
            {
                problems.Add($"{field}.{name}: not used by a {destination} connector; remove it");
            }
        }
    }

    /// <summary>
    /// A stream or table read connector's section: the file location fields (<c>rootPath</c>, <c>bucketName</c>,
    /// <c>prefix</c>) and SQS's fields mean nothing to it, and each one set is a problem.
    /// </summary>
    public static void ForbidFileAndQueueFields(string destination, ReadConnectorConfig read, List<string> problems)
    {
        Forbid("readConnector", destination, problems, ("rootPath", read.RootPath), ("bucketName", read.BucketName), ("prefix", read.Prefix));
        Forbid("readConnector", destination, problems, QueueFields(read));
    }

    /// <summary>SQS's section fields, which every other connector refuses.</summary>
    public static (string Name, object? Value)[] QueueFields(ReadConnectorConfig read) =>
        [("queueName", read.QueueName), ("queueUrl", read.QueueUrl)];

    /// <summary>SQS's section fields, which every other connector refuses.</summary>
    public static (string Name, object? Value)[] QueueFields(WriteConnectorConfig connector) =>
        [("queueName", connector.QueueName), ("queueUrl", connector.QueueUrl), ("messageIdAttributeName", connector.MessageIdAttributeName)];

    /// <summary>A stream manifest's <c>manifestType</c>: only <paramref name="expected"/> (or none) fits the connector.</summary>
    public static void CheckManifestType(string? type, string expected, string connector, List<string> problems)
    {
        if (type is not null && type != expected)
        {
            problems.Add($"manifestFile.manifestType: '{type}' does not fit a {connector} read connector; use \"{expected}\" or leave manifestFile out");
        }
    }

    /// <summary>A stream reader's stop condition: <c>"CaughtUp"</c> (default) or <c>"Continuous"</c> (returns true).</summary>
    public static bool IsContinuous(string? stopCondition, string field, List<string> problems)
    {
        switch (stopCondition)
        {
            case null:
            case var stop when stop.Equals("CaughtUp", StringComparison.OrdinalIgnoreCase):
                return false;
            case var stop when stop.Equals("Continuous", StringComparison.OrdinalIgnoreCase):
                return true;
            case var stop:
                problems.Add($"manifestFile.{field}: unknown value '{stop}'; expected \"CaughtUp\" or \"Continuous\"");
                return false;
        }
    }

    public static readonly AwsNameRule StreamName = new("Kinesis stream", 1, 128);
    public static readonly AwsNameRule TableName = new("DynamoDB table", 3, 255);

    /// <summary>S3's rules for a bucket name.</summary>
    public static bool IsValidBucketName(string name) =>
        name.Length is >= 3 and <= 63
        && name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '.' or '-')
        && char.IsAsciiLetterOrDigit(name[0]) && char.IsAsciiLetterOrDigit(name[^1]);

    public static string BucketNameProblem(string bucket) =>
        $"'{bucket}' is not a valid S3 bucket name (3-63 characters: lower-case letters, digits, '.' and '-', starting and ending with a letter or digit)";
}

/// <summary>AWS's rules for a name of letters, digits, '_', '.', '-' within a length range.</summary>
internal sealed record AwsNameRule(string What, int MinLength, int MaxLength)
{
    public bool IsValid(string? name) =>
        name is not null && name.Length >= MinLength && name.Length <= MaxLength
        && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-');

    public string Problem(string? name) =>
        string.IsNullOrWhiteSpace(name)
            ? $"required (the {What} name)"
            : $"'{name}' is not a valid {What} name ({MinLength}-{MaxLength} characters: letters, digits, '_', '.', '-')";
}
