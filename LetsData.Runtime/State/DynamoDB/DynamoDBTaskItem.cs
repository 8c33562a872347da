using System.Globalization;
using System.Text;
using System.Text.Json;
using Amazon.DynamoDBv2.Model;
using LetsData.Runtime.Aws.DynamoDB;

namespace LetsData.Runtime.State.DynamoDB;

/// <summary>
/// A <see cref="TaskRecord"/> as a DynamoDB item and back. Every field is an attribute of its own (readable in the
/// console, and a lease or status can be looked at without parsing anything); only the checkpoint is a JSON string,
/// because it is opaque to the store and must come back exactly as written, which a DynamoDB map cannot promise for
/// numbers beyond 38 digits or for key order. Absent optional fields are absent attributes.
/// </summary>
internal static class DynamoDBTaskItem
{
    public const string DatasetAttribute = "dataset";
    public const string TaskIdAttribute = "taskId";
    public const string VersionAttribute = "version";

    /// <summary>
    /// The largest checkpoint stored: DynamoDB refuses items over 400 KB, and the rest of the record (reader definition,
    /// last error) needs room too.
    /// </summary>
    public const int MaxCheckpointBytes = 350 * 1024;

    private const string Status = "status";
    private const string Attempts = "attempts";
    private const string WorkerId = "workerId";
    private const string LeaseExpiresAt = "leaseExpiresAt";
    private const string LeaseCounter = "leaseCounter";
    private const string CreatedAt = "createdAt";
    private const string StartedAt = "startedAt";
    private const string EndedAt = "endedAt";
    private const string Counters = "counters";
    private const string LastError = "lastError";
    private const string Reader = "reader";
    private const string Checkpoint = "checkpoint";
    private const string Warnings = "warnings";

    /// <summary>ISO-8601 with the offset and every tick, so a timestamp comes back as the same instant.</summary>
    private const string TimeFormat = "O";

    /// <summary>How messages name the table, and the dataset and task when known.</summary>
    public static string Label(string table, string? dataset = null, string? taskId = null) =>
        $"DynamoDB task table '{table}'" + (dataset is null ? "" : $", dataset '{dataset}'") + (taskId is null ? "" : $", task '{taskId}'");

    public static Dictionary<string, AttributeValue> Key(string dataset, string taskId) => new()
    {
        [DatasetAttribute] = new AttributeValue { S = dataset },
        [TaskIdAttribute] = new AttributeValue { S = taskId },
    };

    /// <summary>The item for <paramref name="record"/>, stored as <paramref name="version"/>.</summary>
    /// <exception cref="TaskStoreException">The checkpoint or the whole item is too large for DynamoDB.</exception>
    public static Dictionary<string, AttributeValue> From(TaskRecord record, long version, string table)
    {
        var item = Key(record.Dataset, record.TaskId);
        item[Status] = new AttributeValue { S = record.Status.Name() };
        item[Attempts] = Number(record.Attempts);
        item[LeaseCounter] = Number(record.LeaseCounter);
        item[CreatedAt] = Time(record.CreatedAt);
        item[Counters] = new AttributeValue
        {
            M = new Dictionary<string, AttributeValue>
            {
                ["records"] = Number(record.Counters.Records),
                ["documents"] = Number(record.Counters.Documents),
                ["errors"] = Number(record.Counters.Errors),
                ["skips"] = Number(record.Counters.Skips),
                ["bytesRead"] = Number(record.Counters.BytesRead),
                ["bytesScanned"] = Number(record.Counters.BytesScanned),
            },
        };
        item[Reader] = new AttributeValue { M = ReaderMap(record.Reader) };
        item[VersionAttribute] = Number(version);
        AddIfPresent(item, WorkerId, record.WorkerId);
        AddIfPresent(item, LeaseExpiresAt, record.LeaseExpiresAt);
        AddIfPresent(item, StartedAt, record.StartedAt);
        AddIfPresent(item, EndedAt, record.EndedAt);
        if (record.LastError is { } error)
        {
            var map = new Dictionary<string, AttributeValue> { ["message"] = new AttributeValue { S = error.Message } };
            AddIfPresent(map, "fileType", error.FileType);
            AddIfPresent(map, "fileName", error.FileName);
            AddIfPresent(map, "positionLabel", error.PositionLabel);
            AddIfPresent(map, "position", error.Position);
            item[LastError] = new AttributeValue { M = map };
        }

        if (record.Warnings is { Count: > 0 } warnings)
        {
            item[Warnings] = new AttributeValue { L = warnings.Select(w => new AttributeValue { S = w }).ToList() };
        }

        if (record.Checkpoint is { } checkpoint)
        {
            var json = checkpoint.GetRawText();
            var bytes = Encoding.UTF8.GetByteCount(json);
            if (bytes > MaxCheckpointBytes)
            {
                throw new TaskStoreException($"{Label(table, record.Dataset, record.TaskId)}: " +
                    $"the checkpoint is {bytes} bytes of JSON; a DynamoDB task record keeps at most {MaxCheckpointBytes} " +
                    $"(items are limited to {DynamoDBItemSize.MaxItemBytes} bytes). Keep checkpoints to positions and small reader state.");
            }

            item[Checkpoint] = new AttributeValue { S = json };
        }

        var size = DynamoDBItemSize.Of(item);
        if (size > DynamoDBItemSize.MaxItemBytes)
        {
            throw new TaskStoreException($"{Label(table, record.Dataset, record.TaskId)}: " +
                $"the record is about {size} bytes; DynamoDB items are limited to {DynamoDBItemSize.MaxItemBytes} " +
                "(the reader definition, last error and checkpoint together are too large)");
        }

        return item;
    }

    /// <summary>The record an item holds.</summary>
    /// <exception cref="TaskStoreException">An attribute is missing, of the wrong type or unparsable; the message names it.</exception>
    public static TaskRecord ToRecord(IReadOnlyDictionary<string, AttributeValue> item, string table)
    {
        var read = ItemReader.Of(table, item);
        var statusName = read.String(Status);
        if (!TaskRecordStatuses.TryParse(statusName, out var status))
        {
            throw read.Unreadable(Status, $"'{statusName}' is not a task status");
        }

        var counters = read.Map(Counters);
        var reader = read.Map(Reader);
        var error = read.OptionalMap(LastError);
        return new TaskRecord
        {
            Dataset = read.String(DatasetAttribute),
            TaskId = read.String(TaskIdAttribute),
            Status = status,
            Attempts = checked((int)read.Long(Attempts)),
            WorkerId = read.OptionalString(WorkerId),
            LeaseExpiresAt = read.OptionalTime(LeaseExpiresAt),
            // Items written before the counter existed have none: they count as 0, so their leases are watched from 0.
            LeaseCounter = read.OptionalLong(LeaseCounter) ?? 0,
            CreatedAt = read.Time(CreatedAt),
            StartedAt = read.OptionalTime(StartedAt),
            EndedAt = read.OptionalTime(EndedAt),
            Counters = new TaskRecordCounters(counters.Long("records"), counters.Long("documents"), counters.Long("errors"),
                counters.Long("skips"), counters.Long("bytesRead"), counters.Long("bytesScanned")),
            LastError = error is null ? null : new TaskLastError(error.String("message"), error.OptionalString("fileType"),
                error.OptionalString("fileName"), error.OptionalString("positionLabel"), error.OptionalString("position")),
            Reader = ReaderFrom(reader),
            Checkpoint = read.OptionalJson(Checkpoint),
            Warnings = read.OptionalStringList(Warnings),
            Version = read.Long(VersionAttribute),
        };
    }

    /// <summary>The version of a stored item; null when there is none or it has none.</summary>
    public static long? VersionOf(IReadOnlyDictionary<string, AttributeValue>? item) =>
        item is not null && item.TryGetValue(VersionAttribute, out var value)
            && long.TryParse(value.N, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var version)
            ? version
            : null;

    /// <summary>True when two items hold the same attributes with the same values (the S, N, M and L values records use).</summary>
    public static bool SameItem(IReadOnlyDictionary<string, AttributeValue> a, IReadOnlyDictionary<string, AttributeValue> b) =>
        a.Count == b.Count && a.All(pair => b.TryGetValue(pair.Key, out var other) && SameValue(pair.Value, other));

    private static bool SameValue(AttributeValue a, AttributeValue b) =>
        a.S == b.S && a.N == b.N
        && (a.M is null || b.M is null ? (a.M is null) == (b.M is null) : SameItem(a.M, b.M))
        && (a.L is null || b.L is null ? (a.L is null) == (b.L is null) : a.L.Count == b.L.Count && a.L.Zip(b.L).All(p => SameValue(p.First, p.Second)));

    private static Dictionary<string, AttributeValue> ReaderMap(TaskReaderDefinition reader)
    {
        var map = new Dictionary<string, AttributeValue>
        {
            ["readerType"] = new AttributeValue { S = reader.ReaderType },
            ["files"] = new AttributeValue { M = reader.Files.ToDictionary(f => f.Key, f => new AttributeValue { S = f.Value }) },
            ["manifestLine"] = new AttributeValue { S = reader.ManifestLine },
        };
        if (reader.Partition is { } partition)
        {
            map["partition"] = new AttributeValue
            {
                M = new Dictionary<string, AttributeValue>
                {
                    ["kind"] = new AttributeValue { S = partition.Kind },
                    ["source"] = new AttributeValue { S = partition.Source },
                    ["id"] = new AttributeValue { S = partition.Id },
                },
            };
        }

        return map;
    }

    private static TaskReaderDefinition ReaderFrom(ItemReader reader)
    {
        var files = reader.Map("files");
        var partition = reader.OptionalMap("partition");
        return new TaskReaderDefinition(
            reader.String("readerType"),
            files.Names.ToDictionary(name => name, files.String, StringComparer.Ordinal),
            partition is null ? null : new TaskPartition(partition.String("kind"), partition.String("source"), partition.String("id")),
            reader.String("manifestLine"));
    }

    private static AttributeValue Number(long value) => new() { N = value.ToString(CultureInfo.InvariantCulture) };

    private static AttributeValue Time(DateTimeOffset value) => new() { S = value.ToString(TimeFormat, CultureInfo.InvariantCulture) };

    private static void AddIfPresent(Dictionary<string, AttributeValue> item, string name, string? value)
    {
        if (value is not null)
        {
            item[name] = new AttributeValue { S = value };
        }
    }

    private static void AddIfPresent(Dictionary<string, AttributeValue> item, string name, DateTimeOffset? value)
    {
        if (value is { } time)
        {
            item[name] = Time(time);
        }
    }

    /// <summary>Reads attributes of an item (or of a map inside it), failing with the attribute's path.</summary>
    private sealed class ItemReader(string label, IReadOnlyDictionary<string, AttributeValue> attributes, string? path = null)
    {
        /// <summary>A reader of a whole item, whose messages name the table and the item's key.</summary>
        public static ItemReader Of(string table, IReadOnlyDictionary<string, AttributeValue> item) =>
            new(Label(table, KeyText(item, DatasetAttribute), KeyText(item, TaskIdAttribute)), item);

        public IEnumerable<string> Names => attributes.Keys;

        public string String(string name) => OptionalString(name) ?? throw Unreadable(name, "missing");

        public string? OptionalString(string name) => Get(name) switch
        {
            null => null,
            { S: { } s } => s,
            _ => throw Unreadable(name, "not a string (S)"),
        };

        public long Long(string name) => OptionalLong(name) ?? throw Unreadable(name, "missing");

        public long? OptionalLong(string name) => Get(name) switch
        {
            null => null,
            { N: { } n } when long.TryParse(n, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) => value,
            _ => throw Unreadable(name, "not a whole number (N)"),
        };

        public DateTimeOffset Time(string name) => OptionalTime(name) ?? throw Unreadable(name, "missing");

        public DateTimeOffset? OptionalTime(string name)
        {
            var text = OptionalString(name);
            if (text is null)
            {
                return null;
            }

            return DateTimeOffset.TryParseExact(text, TimeFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out var time)
                ? time
                : throw Unreadable(name, $"'{text}' is not an ISO-8601 timestamp");
        }

        public ItemReader Map(string name) => OptionalMap(name) ?? throw Unreadable(name, "missing");

        public ItemReader? OptionalMap(string name) => Get(name) switch
        {
            null => null,
            { M: { } map } => new ItemReader(label, map, Path(name)),
            _ => throw Unreadable(name, "not a map (M)"),
        };

        public List<string>? OptionalStringList(string name) => Get(name) switch
        {
            null => null,
            { L: { } list } => list.Select((value, i) => value.S ?? throw Unreadable($"{name}[{i}]", "not a string (S)")).ToList(),
            _ => throw Unreadable(name, "not a list (L)"),
        };

        public JsonElement? OptionalJson(string name)
        {
            var text = OptionalString(name);
            if (text is null)
            {
                return null;
            }

            try
            {
                using var document = JsonDocument.Parse(text);
                return document.RootElement.Clone();
            }
            catch (JsonException e)
            {
                throw Unreadable(name, $"not JSON ({e.Message})");
            }
        }

        public TaskStoreException Unreadable(string name, string why) =>
            new($"{label}: the item is unreadable: attribute '{Path(name)}' is {why}; fix or delete the item (deleting it makes the task new again)");

        private AttributeValue? Get(string name) => attributes.TryGetValue(name, out var value) && value.NULL != true ? value : null;

        private string Path(string name) => path is null ? name : $"{path}.{name}";

        private static string KeyText(IReadOnlyDictionary<string, AttributeValue> item, string name) =>
            item.TryGetValue(name, out var value) && value.S is { } s ? s : "?";
    }
}
