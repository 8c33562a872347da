namespace LetsData.Runtime.Connectors;

/// <summary>
/// A dataset's validated read connector: each read connector defines its own record (e.g. an S3 bucket and prefix), so
/// a dataset carries only the settings of the connector it uses.
/// </summary>
public abstract record ReadConnectorSettings
{
    /// <summary>The folder on this machine the connector reads (the data-task processes may read it); null for a remote source.</summary>
    public virtual string? LocalFolder => null;

    /// <summary>Whether the connector's clients sign AWS requests (a data-task process then needs keys).</summary>
    public virtual bool UsesAws => true;

    /// <summary>The connector these settings belong to, which opens them.</summary>
    internal abstract IReadConnector Connector { get; }
}

/// <summary>A dataset's validated write or error connector; each write connector defines its own record.</summary>
public abstract record WriteConnectorSettings
{
    /// <summary>Where the connector writes, for messages: a folder, <c>s3://bucket/prefix</c>, <c>kinesis://stream</c>, <c>dynamodb://table</c>.</summary>
    public abstract string Location { get; }

    /// <summary>The folder on this machine the connector writes (the data-task processes may write it); null for a remote destination.</summary>
    public virtual string? LocalFolder => null;

    /// <summary>Whether the connector's clients sign AWS requests.</summary>
    public virtual bool UsesAws => true;

    /// <summary>The connector these settings belong to, which makes their writers.</summary>
    internal abstract IWriteConnector Connector { get; }

    /// <summary>
    /// A problem when the error connector <paramref name="errors"/> would overwrite what these settings write (both
    /// name a task's output alike); null when they cannot collide.
    /// </summary>
    public virtual string? CollisionWith(WriteConnectorSettings errors) => null;
}
