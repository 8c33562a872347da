using Amazon.Runtime;

namespace LetsData.Runtime.Aws.Credentials;

/// <summary>
/// Keys a data-task process was handed by its supervisor over the control channel: held in memory only, replaced when
/// the supervisor refreshes them (an assumed role's keys expire). The process never sees where they came from.
/// </summary>
internal sealed class SuppliedCredentials(ImmutableCredentials keys) : AWSCredentials
{
    private volatile ImmutableCredentials _keys = keys;

    public void Replace(ImmutableCredentials keys) => _keys = keys;

    public override ImmutableCredentials GetCredentials() => _keys;

    public override Task<ImmutableCredentials> GetCredentialsAsync() => Task.FromResult(_keys);
}
