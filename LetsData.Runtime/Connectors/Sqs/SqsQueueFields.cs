namespace LetsData.Runtime.Connectors.Sqs;

/// <summary>The queue fields both SQS connectors take: <c>queueName</c> or <c>queueUrl</c>, one of them.</summary>
internal static class SqsQueueFields
{
    /// <summary>Checks that exactly one of the two is given and valid; false (with problems naming <paramref name="field"/>'s paths) otherwise.</summary>
    public static bool Check(string field, string? queueName, string? queueUrl, List<string> problems)
    {
        if (queueName is null && queueUrl is null)
        {
            problems.Add($"{field}.queueName: required (the SQS queue's name; or give queueUrl)");
            return false;
        }

        if (queueName is not null && queueUrl is not null)
        {
            problems.Add($"{field}.queueUrl: give queueName or queueUrl, not both");
            return false;
        }

        if (queueName is not null && !IsValidName(queueName))
        {
            problems.Add($"{field}.queueName: '{queueName}' is not a valid SQS queue name (1-80 characters: letters, digits, '-' and '_'; a FIFO queue's name ends with \".fifo\")");
            return false;
        }

        if (queueUrl is not null && (!Uri.TryCreate(queueUrl, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")
            || !IsValidName(uri.AbsolutePath.TrimEnd('/').Split('/')[^1])))
        {
            problems.Add($"{field}.queueUrl: '{queueUrl}' is not an SQS queue URL (https://sqs.<region>.amazonaws.com/<account>/<queue name>)");
            return false;
        }

        return true;
    }

    /// <summary>AWS's rule: 1-80 characters of letters, digits, '-' and '_', the <c>.fifo</c> suffix counted.</summary>
    private static bool IsValidName(string name)
    {
        var stem = name.EndsWith(".fifo", StringComparison.Ordinal) ? name[..^".fifo".Length] : name;
        return name.Length <= 80 && stem.Length > 0 && stem.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');
    }
}
