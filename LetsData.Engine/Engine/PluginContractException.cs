namespace LetsData.Runtime.Engine;

/// <summary>Plugin code returned something the contract does not allow (a null result, Success without a document, ...).</summary>
public sealed class PluginContractException(string message) : Exception(message);
