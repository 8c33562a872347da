namespace LetsData.Runtime.Plugins.Reload;

/// <summary>
/// Checks that an unloaded plugin's load context really went away. Unloading is cooperative: it completes only once
/// nothing references the plugin's objects, so the context is watched through a weak reference while a bounded number
/// of full garbage collections run (finalizers may hold plugin objects for a round or two).
/// </summary>
internal static class UnloadVerifier
{
    /// <summary>Collects until <paramref name="context"/> is dead or <paramref name="maxCollections"/> ran; returns whether it died and how many collections it took.</summary>
    public static (bool Collected, int Collections) WaitUntilCollected(WeakReference context, int maxCollections, TimeSpan pause)
    {
        for (var i = 0; i < maxCollections; i++)
        {
            if (!context.IsAlive)
            {
                return (true, i);
            }

            GC.Collect();
            GC.WaitForPendingFinalizers();
            if (!context.IsAlive)
            {
                return (true, i + 1);
            }

            // A thread that just released the last lease may still be unwinding frames that reference plugin
            // objects; a short pause lets it move on before the next collection.
            Thread.Sleep(pause);
        }

        return (!context.IsAlive, maxCollections);
    }
}
