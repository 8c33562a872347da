using System.Buffers;
using System.Buffers.Text;
using System.Text.Json;
using LetsData.Runtime.Reading.Kinesis;

namespace LetsData.Runtime.Aws.Kinesis;

/// <summary>Reads the hot responses (GetRecords, PutRecords) and error bodies with <see cref="Utf8JsonReader"/>.</summary>
internal static class KinesisResponseParser
{
    public static KinesisPutRecordsResult ParsePutRecords(ReadOnlySpan<byte> body, int sent, bool includeSequenceNumbers)
    {
        var results = new KinesisPutRecordResult[sent];
        var failed = 0;
        var index = 0;
        var reader = new Utf8JsonReader(body);
        Expect(ref reader, JsonTokenType.StartObject);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("FailedRecordCount"))
            {
                reader.Read();
                failed = reader.GetInt32();
            }
            else if (reader.ValueTextEquals("Records"))
            {
                Expect(ref reader, JsonTokenType.StartArray);
                while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
                {
                    string? shardId = null, sequenceNumber = null, errorCode = null, errorMessage = null;
                    while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                    {
                        if (reader.ValueTextEquals("ErrorCode"))
                        {
                            reader.Read();
                            errorCode = reader.GetString();
                        }
                        else if (reader.ValueTextEquals("ErrorMessage"))
                        {
                            reader.Read();
                            errorMessage = reader.GetString();
                        }
                        else if (includeSequenceNumbers && reader.ValueTextEquals("SequenceNumber"))
                        {
                            reader.Read();
                            sequenceNumber = reader.GetString();
                        }
                        else if (includeSequenceNumbers && reader.ValueTextEquals("ShardId"))
                        {
                            reader.Read();
                            shardId = reader.GetString();
                        }
                        else
                        {
                            reader.Read();
                            reader.Skip();
                        }
                    }

                    if (index < sent)
                    {
                        results[index] = new KinesisPutRecordResult(shardId, sequenceNumber, errorCode, errorMessage);
                    }

                    index++;
                }
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        if (index != sent)
        {
            throw new KinesisException("InvalidResponse", 200, $"Kinesis PutRecords answered {index} records for {sent} sent");
        }

        return new KinesisPutRecordsResult(failed, results);
    }

    /// <summary>
    /// Appends the page's records to <paramref name="records"/>. Two passes over the body: the first sizes one array
    /// for all the page's decoded data, the second decodes into it, so a page costs one data allocation, not one per record.
    /// </summary>
    public static KinesisRecordsPage ParseGetRecords(ReadOnlySpan<byte> body, List<KinesisRecord> records)
    {
        var dataCapacity = 0;
        var sizing = new Utf8JsonReader(body);
        while (sizing.Read())
        {
            if (sizing.TokenType == JsonTokenType.PropertyName && sizing.ValueTextEquals("Data"))
            {
                sizing.Read();
                dataCapacity += Base64.GetMaxDecodedFromUtf8Length(sizing.HasValueSequence ? (int)sizing.ValueSequence.Length : sizing.ValueSpan.Length);
            }
        }

        var data = dataCapacity == 0 ? [] : GC.AllocateUninitializedArray<byte>(dataCapacity);
        var used = 0;
        var count = 0;
        string? next = null;
        long? behind = null;
        var reader = new Utf8JsonReader(body);
        Expect(ref reader, JsonTokenType.StartObject);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("Records"))
            {
                Expect(ref reader, JsonTokenType.StartArray);
                while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
                {
                    records.Add(ReadRecord(ref reader, data, ref used));
                    count++;
                }
            }
            else if (reader.ValueTextEquals("NextShardIterator"))
            {
                reader.Read();
                next = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
            }
            else if (reader.ValueTextEquals("MillisBehindLatest"))
            {
                reader.Read();
                behind = reader.TokenType == JsonTokenType.Number ? reader.GetInt64() : null;
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        return new KinesisRecordsPage(count, next, behind);
    }

    private static KinesisRecord ReadRecord(ref Utf8JsonReader reader, byte[] data, ref int used)
    {
        string partitionKey = "", sequenceNumber = "";
        var arrival = DateTimeOffset.UnixEpoch;
        var dataStart = used;
        var dataLength = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("Data"))
            {
                reader.Read();
                dataLength = DecodeBase64(ref reader, data.AsSpan(used));
                used += dataLength;
            }
            else if (reader.ValueTextEquals("PartitionKey"))
            {
                reader.Read();
                partitionKey = reader.GetString() ?? "";
            }
            else if (reader.ValueTextEquals("SequenceNumber"))
            {
                reader.Read();
                sequenceNumber = reader.GetString() ?? "";
            }
            else if (reader.ValueTextEquals("ApproximateArrivalTimestamp"))
            {
                reader.Read();

                // JSON 1.1 timestamps are epoch seconds with a fraction.
                arrival = DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(reader.GetDouble() * 1000));
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        return new KinesisRecord(partitionKey, sequenceNumber, arrival, data.AsMemory(dataStart, dataLength));
    }

    private static int DecodeBase64(ref Utf8JsonReader reader, Span<byte> destination)
    {
        if (!reader.ValueIsEscaped && !reader.HasValueSequence)
        {
            return Decode(reader.ValueSpan, destination);
        }

        // A JSON writer may escape '/' or '+' ("\/", "\u002B"): unescape first, into a pooled scratch array.
        var length = reader.HasValueSequence ? (int)reader.ValueSequence.Length : reader.ValueSpan.Length;
        var scratch = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            var unescaped = reader.CopyString(scratch);
            return Decode(scratch.AsSpan(0, unescaped), destination);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(scratch);
        }
    }

    private static int Decode(ReadOnlySpan<byte> base64, Span<byte> destination)
    {
        var status = Base64.DecodeFromUtf8(base64, destination, out _, out var written);
        return status == OperationStatus.Done
            ? written
            : throw new KinesisException("InvalidResponse", 200, $"Kinesis GetRecords returned a record whose Data is not valid base64 ({status})");
    }

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType type)
    {
        if (!reader.Read() || reader.TokenType != type)
        {
            throw new KinesisException("InvalidResponse", 200, $"Kinesis returned unexpected JSON: expected {type}, found {reader.TokenType}");
        }
    }
}
