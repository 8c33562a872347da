namespace LetsData.Interfaces.Documents;

/// <summary>
/// The kind of a default key-value document (<see cref="Document"/>, <see cref="ErrorDoc"/>,
/// <see cref="SkipDoc"/>), as in the Python and JavaScript interface packages.
/// </summary>
public enum DocumentType
{
    /// <summary>A regular document, written to the write destination.</summary>
    Document,

    /// <summary>An error document, written to the error destination.</summary>
    ErrorDoc,

    /// <summary>A skip document: the record is not of interest and is not written.</summary>
    SkipDoc,
}
