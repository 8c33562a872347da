// Contract version: the assembly version (1.0.0.0, set in LetsData.Interfaces.csproj) IS the plugin
// contract version. The runtime compares the LetsData.Interfaces version a plugin was compiled against
// with its own and refuses, with a clear error, a plugin built against a newer contract. Bump it only
// together with a contract change, and never change a listed name or signature within a version:
// host and plugins share one loaded copy of this assembly.
