// Every test works in its own temp folder and its own worker process, so they can all run at once.
// The worker processes spend much of their time starting up; 4 at a time keeps 2 cores busy.
[assembly: Parallelizable(ParallelScope.All)]
[assembly: LevelOfParallelism(4)]
[assembly: FixtureLifeCycle(LifeCycle.InstancePerTestCase)]
