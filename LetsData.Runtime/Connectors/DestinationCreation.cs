using LetsData.Runtime.Aws.Credentials;
using LetsData.Runtime.Datasets;

namespace LetsData.Runtime.Connectors;

/// <summary>
/// <c>run --create-destinations</c>: before the tasks start, each write and error connector creates its destination
/// when it is missing (see <see cref="IWriteConnector.CreateDestinationAsync"/>).
/// </summary>
internal static class DestinationCreation
{
    /// <summary>A line per destination created or found; a problem naming the connector's field per one that could not be.</summary>
    public static async Task<List<string>> CreateMissingAsync(Dataset dataset, List<string> problems, CancellationToken cancellationToken)
    {
        var setup = new SinkSetup(RuntimeCredentials.Current.For(dataset), ConfigureS3: null);
        var done = new List<string>();
        foreach (var (field, settings) in new[] { ("writeConnector", dataset.Write), ("errorConnector", dataset.Errors) })
        {
            try
            {
                if (await settings.Connector.CreateDestinationAsync(settings, setup, cancellationToken).ConfigureAwait(false) is { } line)
                {
                    done.Add($"{field}: {line}");
                }
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                problems.Add($"{field}: creating {settings.Location} failed (--create-destinations): {e.Message}");
            }
        }

        return done;
    }
}
