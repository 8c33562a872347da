namespace LetsData.Runtime.Reading.DynamoDB;

/// <summary>
/// One item of a table scan as plain JSON-like values (string, decimal/long/double, bool, null, byte[],
/// <c>List&lt;object?&gt;</c>, <c>Dictionary&lt;string, object?&gt;</c>), as <see cref="LetsData.Interfaces.Readers.IDynamoDBTableItemReader"/> receives it.
/// </summary>
public sealed record DynamoDBItem(IReadOnlyDictionary<string, object?> Keys, IReadOnlyDictionary<string, object?> Item);

/// <summary>
/// Where a DynamoDB table read connector's tasks read from: a parallel scan, one task per segment (the table behind
/// the DynamoDB client, or memory in the test harness).
/// </summary>
public interface IDynamoDBTableSource
{
    string TableName { get; }

    /// <summary>Segments of the parallel scan (= tasks).</summary>
    int TotalSegments { get; }

    /// <summary>A human-readable name of the table for messages.</summary>
    string Describe();

    /// <summary>
    /// Opens a reader over one segment. <paramref name="exclusiveStartKey"/>, when set, resumes the scan after that key
    /// (a checkpoint: the last evaluated key of a page).
    /// </summary>
    IDynamoDBSegmentReader OpenSegment(int segment, IReadOnlyDictionary<string, object?>? exclusiveStartKey = null);
}

/// <summary>Reads one scan segment page by page. Used from one task's thread.</summary>
public interface IDynamoDBSegmentReader : IAsyncDisposable
{
    /// <summary>Appends the next page of items to <paramref name="page"/>; returns false when the segment is done.</summary>
    ValueTask<bool> ReadAsync(List<DynamoDBItem> page, CancellationToken cancellationToken);

    /// <summary>The last evaluated key of the page read last (null before the first page and after the last).</summary>
    IReadOnlyDictionary<string, object?>? LastEvaluatedKey { get; }
}
