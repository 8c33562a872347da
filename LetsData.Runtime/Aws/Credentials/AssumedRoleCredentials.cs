using Amazon.Runtime;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;

namespace LetsData.Runtime.Aws.Credentials;

/// <summary>
/// Temporary credentials of an <see cref="AccessGrant"/>'s role from STS AssumeRole, assumed on first use and again
/// shortly before they expire, so long runs never sign with expired keys. Safe to share between clients and threads:
/// one AssumeRole serves them all. Written over the STS client rather than the SDK's <c>AssumeRoleAWSCredentials</c>
/// so that the STS client (handler, endpoint) and the clock are the caller's to give.
/// </summary>
public sealed class AssumedRoleCredentials : AWSCredentials, IDisposable
{
    /// <summary>How long before expiry fresh credentials are assumed (shortened to half the lifetime of short-lived ones).</summary>
    public static readonly TimeSpan DefaultRefreshMargin = TimeSpan.FromMinutes(5);

    private readonly IAmazonSecurityTokenService _sts;
    private readonly bool _ownsSts;
    private readonly TimeProvider _time;
    private readonly TimeSpan _refreshMargin;
    private readonly SemaphoreSlim _assuming = new(1, 1);
    private volatile Current? _current;

    /// <summary>Creates the credentials; nothing is requested until they are first used.</summary>
    /// <param name="sts">The STS client, signing with the worker's own credentials.</param>
    /// <param name="grant">The role, external id and session name.</param>
    /// <param name="ownsSts">Whether <see cref="Dispose"/> disposes <paramref name="sts"/>.</param>
    /// <param name="time">The clock expiry is judged by; null is the system clock.</param>
    /// <param name="refreshMargin">How long before expiry to assume again; null is <see cref="DefaultRefreshMargin"/>.</param>
    public AssumedRoleCredentials(IAmazonSecurityTokenService sts, AccessGrant grant, bool ownsSts = false,
        TimeProvider? time = null, TimeSpan? refreshMargin = null)
    {
        ArgumentNullException.ThrowIfNull(sts);
        ArgumentNullException.ThrowIfNull(grant);
        _sts = sts;
        Grant = grant;
        _ownsSts = ownsSts;
        _time = time ?? TimeProvider.System;
        _refreshMargin = refreshMargin ?? DefaultRefreshMargin;
    }

    /// <summary>The role these credentials are for.</summary>
    public AccessGrant Grant { get; }

    /// <summary>How many AssumeRole calls succeeded (one per refresh).</summary>
    public int AssumeRoleCount { get; private set; }

    /// <inheritdoc />
    /// <exception cref="AccessGrantException">STS refused or could not be reached.</exception>
    public override ImmutableCredentials GetCredentials() =>
        // The SDK's synchronous paths call this; the STS call itself has no synchronous API in SDK 4.
        GetCredentialsAsync().GetAwaiter().GetResult();

    /// <inheritdoc />
    /// <exception cref="AccessGrantException">STS refused or could not be reached.</exception>
    public override async Task<ImmutableCredentials> GetCredentialsAsync()
    {
        if (_current is { } current && !current.NeedsRefresh(_time.GetUtcNow()))
        {
            return current.Credentials;
        }

        await _assuming.WaitAsync().ConfigureAwait(false);
        try
        {
            // Another caller may have refreshed while this one waited.
            if (_current is { } refreshed && !refreshed.NeedsRefresh(_time.GetUtcNow()))
            {
                return refreshed.Credentials;
            }

            var fresh = await AssumeAsync().ConfigureAwait(false);
            _current = fresh;
            AssumeRoleCount++;
            return fresh.Credentials;
        }
        finally
        {
            _assuming.Release();
        }
    }

    private async Task<Current> AssumeAsync()
    {
        var request = new AssumeRoleRequest { RoleArn = Grant.RoleArn, RoleSessionName = Grant.SessionName, ExternalId = Grant.ExternalId };
        AssumeRoleResponse response;
        try
        {
            response = await _sts.AssumeRoleAsync(request).ConfigureAwait(false);
        }
        catch (AmazonServiceException e)
        {
            throw new AccessGrantException(
                $"{AccessGrant.RoleArnField}: STS AssumeRole of {Grant.RoleArn} failed: {e.ErrorCode ?? e.StatusCode.ToString()}: {e.Message}" +
                " (the role's trust policy must allow the worker's identity to assume it" +
                (Grant.ExternalId is null ? ")" : $", with external id from {AccessGrant.ExternalIdField})"), e);
        }
        catch (Exception e) when (e is AmazonClientException or HttpRequestException or IOException or TaskCanceledException)
        {
            // The SDK lets network failures through unwrapped once its retries are spent.
            throw new AccessGrantException($"{AccessGrant.RoleArnField}: STS AssumeRole of {Grant.RoleArn} failed: {e.Message}", e);
        }

        var issued = response.Credentials;
        if (issued?.AccessKeyId is null || issued.SecretAccessKey is null || issued.Expiration is not { } expiration)
        {
            throw new AccessGrantException(
                $"{AccessGrant.RoleArnField}: STS AssumeRole of {Grant.RoleArn} answered without credentials",
                new AmazonClientException("AssumeRole response has no Credentials element"));
        }

        var now = _time.GetUtcNow();
        var expires = new DateTimeOffset(DateTime.SpecifyKind(expiration.ToUniversalTime(), DateTimeKind.Utc));
        // Credentials that live shorter than twice the margin are refreshed half-way instead, not on every call.
        var margin = TimeSpan.FromTicks(Math.Min(_refreshMargin.Ticks, Math.Max(0, (expires - now).Ticks / 2)));
        return new Current(new ImmutableCredentials(issued.AccessKeyId, issued.SecretAccessKey, issued.SessionToken), expires - margin);
    }

    /// <summary>Disposes the STS client when it is owned.</summary>
    public void Dispose()
    {
        if (_ownsSts)
        {
            _sts.Dispose();
        }

        _assuming.Dispose();
    }

    private sealed record Current(ImmutableCredentials Credentials, DateTimeOffset RefreshAt)
    {
        public bool NeedsRefresh(DateTimeOffset now) => now >= RefreshAt;
    }
}
