using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace LetsData.Runtime.Plugins;

/// <summary>
/// What the loader needs to know about a plugin assembly before loading it, read from the file's
/// metadata: a plugin built against a newer contract must be refused before any of its code (or a
/// private copy of the contract it may carry) gets a chance to load.
/// </summary>
internal sealed record PluginAssemblyMetadata(string AssemblyName, Version? ReferencedContractVersion)
{
    /// <exception cref="BadImageFormatException">The file is not a .NET assembly.</exception>
    public static PluginAssemblyMetadata Read(string assemblyPath, string contractAssemblyName)
    {
        using var stream = File.OpenRead(assemblyPath);
        using var peReader = new PEReader(stream);
        if (!peReader.HasMetadata)
        {
            throw new BadImageFormatException("the file has no .NET metadata (a native library?)", assemblyPath);
        }

        var metadata = peReader.GetMetadataReader();
        if (!metadata.IsAssembly)
        {
            throw new BadImageFormatException("the file is a .NET module, not an assembly", assemblyPath);
        }

        var name = metadata.GetString(metadata.GetAssemblyDefinition().Name);
        Version? contractVersion = null;
        foreach (var handle in metadata.AssemblyReferences)
        {
            var reference = metadata.GetAssemblyReference(handle);
            if (metadata.StringComparer.Equals(reference.Name, contractAssemblyName))
            {
                contractVersion = reference.Version;
                break;
            }
        }

        return new PluginAssemblyMetadata(name, contractVersion);
    }
}
