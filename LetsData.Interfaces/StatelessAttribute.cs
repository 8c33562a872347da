namespace LetsData.Interfaces;

/// <summary>
/// Marks a plugin class as stateless: the runtime creates it once per loaded plugin and shares that
/// one instance between concurrent tasks, so the class must be thread-safe.
/// </summary>
/// <remarks>
/// Unmarked classes keep the stateful in-process Java model: the runtime creates one instance per task
/// and calls it from one thread at a time, so they may cache state (resolved file names, parsers,
/// the last document) in instance fields.
/// </remarks>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class StatelessAttribute : Attribute
{
}
