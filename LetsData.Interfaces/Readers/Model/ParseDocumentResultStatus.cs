namespace LetsData.Interfaces.Readers;

/// <summary>The outcome of parsing one record, which decides where its document goes.</summary>
public enum ParseDocumentResultStatus
{
    /// <summary>The record was parsed; the document is written to the write destination.</summary>
    Success,

    /// <summary>The record could not be parsed; the (error) document is written to the error destination.</summary>
    Error,

    /// <summary>The record is not of interest; the (skip) document is counted and dropped.</summary>
    Skip,
}
