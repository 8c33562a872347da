using System.Text.Json;

namespace LetsData.Runtime.Bridge;

/// <summary>
/// Where a project's calls go: its local hosts (<see cref="BridgeHostPool"/>) or a running LetsData image given by URL
/// (<see cref="Remote.BridgeEndpointChannel"/>). Every call's result is one object, <c>{"statusCode": "SUCCESS", "data": …}</c>
/// or <c>{"statusCode": "EXCEPTION", "errorMessage": …, "exception": {…}}</c>, whichever way it travelled.
/// </summary>
internal interface IBridgeChannel : IDisposable
{
    /// <summary>Calls <paramref name="function"/> of <paramref name="contract"/> once; the call's result object.</summary>
    /// <exception cref="BridgeHostException">The host or endpoint could not answer (died, unreachable, timed out).</exception>
    JsonElement Call(BridgeInterface contract, string function, Action<Utf8JsonWriter> writeData);

    /// <summary>Sends the calls of a <c>{"calls": […]}</c> request; their results, in order, as an array.</summary>
    JsonElement CallMany(byte[] request, string what);

    /// <summary>Where the code of <paramref name="contract"/> lives, for messages (a project file, or the endpoint).</summary>
    string FileOf(BridgeInterface contract);
}
