namespace LetsData.MicroBenchmarks.Inputs;

/// <summary>The record sizes every benchmark runs on: per-record costs show at the small size, per-byte costs at the large.</summary>
public enum RecordShape
{
    /// <summary>~1 KB records (768-1,280 B), like WARC request and metadata records or a line of JSON.</summary>
    Small1K,

    /// <summary>~7 KB records (5,376-8,960 B), like WARC response records of web text.</summary>
    Warc7K,
}
