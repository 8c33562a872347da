namespace LetsData.Runtime.Bridge;

/// <summary>
/// A parser that lives for one task (a JavaScript project on V8: one isolate per task) and stops its own calls at the
/// plugin call timeout, so the engine's watchdog only backs it up; the reader disposes it when the task ends.
/// </summary>
internal interface ITaskScopedParser : IDisposable;
