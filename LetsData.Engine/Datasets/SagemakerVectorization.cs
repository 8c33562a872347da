using System.Text.RegularExpressions;

namespace LetsData.Runtime.Datasets;

/// <summary>
/// A dataset's vectorization stage (compute engine <c>LAMBDA_AND_SAGEMAKER</c>): each document the reader returns goes
/// through the plugin's <c>ISagemakerVectorsInterface</c> and the SageMaker endpoint <see cref="EndpointName"/>, and
/// the vector document is written instead.
/// </summary>
/// <param name="EndpointName">The endpoint InvokeEndpoint is called on.</param>
/// <param name="BatchSize">Texts in one request at most.</param>
/// <param name="BatchMaxBytes">UTF-8 bytes of text in one request at most (a single larger text goes alone).</param>
/// <param name="ClassName">The <c>ISagemakerVectorsInterface</c> class; null: the plugin's one implementation.</param>
public sealed partial record SagemakerVectorization(string EndpointName, int BatchSize, int BatchMaxBytes, string? ClassName)
{
    /// <summary>LetsData's compute engine type that runs a SageMaker stage after the reader.</summary>
    public const string ComputeEngineType = "LAMBDA_AND_SAGEMAKER";

    public const int DefaultBatchSize = 32;
    public const int DefaultBatchMaxBytes = 1024 * 1024;

    /// <summary>SageMaker's own limit on an InvokeEndpoint body.</summary>
    public const int MaxRequestBytes = 6 * 1024 * 1024;

    private const int MaxBatchSize = 10_000;

    /// <summary>The field of the vectorizer class, for messages.</summary>
    public const string ClassNameField = "readConnector.sagemakerVectorsInterfaceClassName";

    /// <summary>
    /// The stage of a <c>LAMBDA_AND_SAGEMAKER</c> dataset, or null for any other engine type (with a problem when a
    /// vectorizer class is named without it). Every problem names its field.
    /// </summary>
    internal static SagemakerVectorization? TryCreate(DatasetConfig config, List<string> problems)
    {
        var engine = config.ComputeEngine;
        var className = config.ReadConnector?.SagemakerVectorsInterfaceClassName;
        if (!IsSagemakerEngine(engine?.ComputeEngineType))
        {
            if (className is not null)
            {
                problems.Add($"{ClassNameField}: set only with computeEngine.computeEngineType \"{ComputeEngineType}\"");
            }

            if (engine?.Endpoint is not null || engine?.Model is not null || engine?.Lambda is not null)
            {
                problems.Add($"computeEngine: lambda, model and endpoint are the sections of computeEngineType \"{ComputeEngineType}\"");
            }

            return null;
        }

        var before = problems.Count;
        var endpoint = engine!.Endpoint;
        if (endpoint is null)
        {
            problems.Add($"computeEngine.endpoint: required for \"{ComputeEngineType}\" (with sagemakerEndpointName)");
            return null;
        }

        if (string.IsNullOrWhiteSpace(endpoint.SagemakerEndpointName))
        {
            problems.Add("computeEngine.endpoint.sagemakerEndpointName: required (the SageMaker endpoint to call)");
        }
        else if (!EndpointNamePattern().IsMatch(endpoint.SagemakerEndpointName))
        {
            problems.Add($"computeEngine.endpoint.sagemakerEndpointName: '{endpoint.SagemakerEndpointName}' is not a SageMaker endpoint name (letters, digits and '-', at most 63, starting with a letter or digit)");
        }

        if (endpoint.SagemakerBatchSize is < 1 or > MaxBatchSize)
        {
            problems.Add($"computeEngine.endpoint.sagemakerBatchSize: {endpoint.SagemakerBatchSize} is out of range 1..{MaxBatchSize}");
        }

        if (endpoint.SagemakerBatchMaxBytes is < 1024 or > MaxRequestBytes)
        {
            problems.Add($"computeEngine.endpoint.sagemakerBatchMaxBytes: {endpoint.SagemakerBatchMaxBytes} is out of range 1024..{MaxRequestBytes}");
        }

        if (className is not null && string.IsNullOrWhiteSpace(className))
        {
            problems.Add($"{ClassNameField}: empty; leave it out to use the plugin's one ISagemakerVectorsInterface");
        }

        return problems.Count > before ? null : new SagemakerVectorization(endpoint.SagemakerEndpointName!,
            endpoint.SagemakerBatchSize ?? DefaultBatchSize, endpoint.SagemakerBatchMaxBytes ?? DefaultBatchMaxBytes, className);
    }

    /// <summary>Whether <paramref name="engineType"/> names this stage's engine.</summary>
    public static bool IsSagemakerEngine(string? engineType) =>
        engineType is not null && engineType.Equals(ComputeEngineType, StringComparison.OrdinalIgnoreCase);

    // SageMaker's EndpointName pattern.
    [GeneratedRegex("^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$")]
    private static partial Regex EndpointNamePattern();
}
