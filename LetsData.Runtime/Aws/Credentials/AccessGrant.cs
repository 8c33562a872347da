using System.Text.RegularExpressions;
using LetsData.Runtime.Datasets;

namespace LetsData.Runtime.Aws.Credentials;

/// <summary>
/// The role a dataset's connectors act as (<c>accessGrantRoleArn</c>): the worker assumes it with STS and signs every
/// connector, plugin-zip and manifest request with the role's temporary credentials instead of its own.
/// </summary>
/// <param name="RoleArn">The IAM role, <c>arn:aws:iam::123456789012:role/name</c>.</param>
/// <param name="ExternalId">The STS external id the role's trust policy asks for (<c>accessGrantExternalId</c>); null when none.</param>
/// <param name="SessionName">The role session name, <c>letsdata-&lt;datasetName&gt;</c>: CloudTrail shows it.</param>
public sealed partial record AccessGrant(string RoleArn, string? ExternalId, string SessionName)
{
    /// <summary>The dataset field naming the role; problems and errors about the grant name it.</summary>
    public const string RoleArnField = "accessGrantRoleArn";

    /// <summary>The dataset field carrying the optional external id.</summary>
    public const string ExternalIdField = "accessGrantExternalId";

    // STS caps a role session name at 64 characters.
    private const int MaxSessionNameLength = 64;

    /// <summary>
    /// The dataset's grant, or null when it names no role. Problems (each naming its field) go to
    /// <paramref name="problems"/>; null is returned then too.
    /// </summary>
    /// <param name="config">The dataset configuration.</param>
    /// <param name="datasetName">The dataset's (validated) name, for the session name.</param>
    /// <param name="problems">Receives the problems found.</param>
    public static AccessGrant? TryCreate(DatasetConfig config, string? datasetName, List<string> problems)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(problems);
        var before = problems.Count;
        var roleArn = config.AccessGrantRoleArn;
        var externalId = config.AccessGrantExternalId;
        if (roleArn is null)
        {
            if (externalId is not null)
            {
                problems.Add($"{ExternalIdField}: only used with {RoleArnField} (the role whose trust policy asks for it)");
            }

            return null;
        }

        if (!RoleArnPattern().IsMatch(roleArn))
        {
            problems.Add($"{RoleArnField}: '{roleArn}' is not an IAM role ARN (arn:aws:iam::<12-digit account>:role/<name>)");
        }

        if (externalId is not null && !ExternalIdPattern().IsMatch(externalId))
        {
            problems.Add($"{ExternalIdField}: must be 2-1224 characters of letters, digits and +=,.@:/-");
        }

        if (problems.Count > before)
        {
            return null;
        }

        var sessionName = "letsdata-" + (datasetName ?? "dataset");
        return new AccessGrant(roleArn, externalId, sessionName[..Math.Min(sessionName.Length, MaxSessionNameLength)]);
    }

    // Partition (aws, aws-cn, aws-us-gov, ...), empty region, 12-digit account, role with an optional path; IAM caps
    // a role name at 64 characters and the whole ARN at 2048.
    [GeneratedRegex(@"^arn:aws(-[a-z]+)*:iam::\d{12}:role/(?=.{1,2000}$)([\x21-\x7E]+/)?[\w+=,.@-]{1,64}$", RegexOptions.CultureInvariant)]
    private static partial Regex RoleArnPattern();

    [GeneratedRegex(@"^[\w+=,.@:/-]{2,1224}$", RegexOptions.CultureInvariant)]
    private static partial Regex ExternalIdPattern();
}
