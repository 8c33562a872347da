namespace LetsData.Runtime.Plugins;

/// <summary>Something that holds plugin types or instances and must drop them when its plugin unloads.</summary>
internal interface IReleasedOnUnload
{
    void Release();
}
