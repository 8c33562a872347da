using Amazon.Runtime;
using Amazon.Runtime.Credentials;
using LetsData.Runtime.Aws.Credentials;
using LetsData.Runtime.Datasets;
using LetsData.Runtime.DataTasks.Control;
using Microsoft.Extensions.Logging;

namespace LetsData.Runtime.Hosting;

/// <summary>
/// The keys a dataset's data-task processes sign with, chosen by the supervisor: none for a dataset that uses no AWS
/// service; the assumed role's temporary keys for one with <c>accessGrantRoleArn</c> (refreshed as they renew); else the
/// worker's own keys — said in the log, since the processes then have the worker's permissions.
/// </summary>
internal static class DatasetKeys
{
    /// <summary>
    /// Whether any connector of the dataset, or its SageMaker endpoint, talks to AWS (the plugin zip and an S3 manifest
    /// are the supervisor's).
    /// </summary>
    public static bool UsesAws(Dataset dataset) =>
        dataset.Read.UsesAws || dataset.Write.UsesAws || dataset.Errors.UsesAws || dataset.Vectorization is not null;

    /// <summary>The keys for the dataset's processes; null when it needs none, or (with a problem) when none can be had.</summary>
    public static SuppliedKeys? TryResolve(Dataset dataset, ILogger logger, List<string> problems)
    {
        if (!UsesAws(dataset))
        {
            logger.LogInformation("data-task processes get no AWS credentials: the dataset uses local files only");
            return null;
        }

        try
        {
            var keys = Current(dataset);
            logger.LogInformation(dataset.AccessGrant is { } grant
                ? "data-task processes sign with the temporary keys of {Role} (accessGrantRoleArn), refreshed by the supervisor"
                : "data-task processes sign with the worker's own AWS credentials{Role}: the dataset names no accessGrantRoleArn, so its processes have the worker's permissions",
                dataset.AccessGrant?.RoleArn ?? "");
            return keys;
        }
        catch (AmazonClientException e)
        {
            problems.Add($"the dataset uses AWS, but no credentials could be resolved for its data-task processes: {e.Message}");
            return null;
        }
    }

    /// <summary>Sends the dataset's keys to the supervisor's processes whenever they changed (an assumed role renews).</summary>
    public static IDisposable RefreshEvery(TimeSpan interval, Dataset dataset, DataTaskSupervisor supervisor)
    {
        SuppliedKeys? last = null;
        return new Timer(_ =>
        {
            try
            {
                var keys = Current(dataset);
                if (last is not null && keys != last)
                {
                    supervisor.Broadcast(new CredentialsUpdate(keys));
                }

                last = keys;
            }
            catch (AmazonClientException)
            {
                // The processes keep the keys they have; the next tick tries again.
            }
        }, null, TimeSpan.Zero, interval);
    }

    private static SuppliedKeys Current(Dataset dataset)
    {
        var credentials = RuntimeCredentials.Current.For(dataset) ?? DefaultAWSCredentialsIdentityResolver.GetCredentials();
        var keys = credentials.GetCredentials();
        return new SuppliedKeys(keys.AccessKey, keys.SecretKey, string.IsNullOrEmpty(keys.Token) ? null : keys.Token);
    }
}
