namespace LetsData.Runtime.Bridge;

/// <summary>A bridge host could not start, died, or broke the protocol; the message says which and names the call.</summary>
public sealed class BridgeHostException(string message) : Exception(message);
