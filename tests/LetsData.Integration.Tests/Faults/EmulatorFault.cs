namespace LetsData.Integration.Tests.Faults;

/// <summary>What <see cref="OneTaskRun.BreakAtGateAsync"/> does to the emulator while the run is held at its gate.</summary>
internal enum EmulatorFault
{
    /// <summary>SIGKILL; started again on the same port and folder once the client has met the dead port.</summary>
    KillThenRestart,

    /// <summary>SIGKILL and never started again: the connector's budget must run out and fail the task.</summary>
    KillForGood,

    /// <summary>SIGSTOP; thawed once the client has given up on the silence at least once.</summary>
    FreezeThenThaw,

    /// <summary>SIGSTOP until the run ends: only timeouts can end it, so a hang shows up as the run's guard expiring.</summary>
    FreezeForGood,
}
