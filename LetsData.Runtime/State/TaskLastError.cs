namespace LetsData.Runtime.State;

/// <summary>
/// Why a task's last attempt failed: the message as the engine wrote it (kept whole) and, when the message names
/// them, the file (or shard / segment) and the position there.
/// </summary>
/// <param name="Message">The task error message.</param>
/// <param name="FileType">The file type named by the message, if any.</param>
/// <param name="FileName">The file, shard or segment named by the message, if any.</param>
/// <param name="PositionLabel">What <paramref name="Position"/> is: <c>offset</c>, <c>sequence number</c>, <c>item</c>.</param>
/// <param name="Position">The position in <paramref name="FileName"/>, as text (sequence numbers exceed a long).</param>
public sealed record TaskLastError(string Message, string? FileType, string? FileName, string? PositionLabel, string? Position);
