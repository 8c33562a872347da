using System.Globalization;

namespace LetsData.Runtime.Aws.DynamoDB;

/// <summary>
/// DynamoDB numbers as plain values and back, without the AWS SDK: the engine needs them for scan keys in
/// checkpoints (<see cref="DynamoDBKeyJson"/>), the worker's <c>PlainAttributeValues</c> for whole items.
/// </summary>
public static class PlainNumbers
{
    /// <summary>A DynamoDB number as long when integral and in range, else decimal, else double.</summary>
    public static object Parse(string text)
    {
        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
        {
            return integer;
        }

        // decimal.TryParse rounds tiny magnitudes to 0 instead of failing: those go to double.
        if (decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var exact) && (exact != 0 || !HasNonZeroDigit(text)))
        {
            return exact == decimal.Truncate(exact) && exact >= long.MinValue && exact <= long.MaxValue ? (object)(long)exact : exact;
        }

        return double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
    }

    /// <summary>A plain number's DynamoDB text (invariant culture); null when <paramref name="value"/> is not a number.</summary>
    /// <exception cref="ArgumentException">An infinite or NaN double or float.</exception>
    public static string? Format(object? value) => value switch
    {
        double d when !double.IsFinite(d) => throw new ArgumentException($"{d} is not a DynamoDB number", nameof(value)),
        float f when !float.IsFinite(f) => throw new ArgumentException($"{f} is not a DynamoDB number", nameof(value)),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        float f => f.ToString("R", CultureInfo.InvariantCulture),
        sbyte or byte or short or ushort or int or uint or long or ulong or decimal => Convert.ToString(value, CultureInfo.InvariantCulture),
        _ => null,
    };

    private static bool HasNonZeroDigit(string text)
    {
        foreach (var c in text)
        {
            if (c is 'e' or 'E')
            {
                return false;
            }

            if (c is >= '1' and <= '9')
            {
                return true;
            }
        }

        return false;
    }
}
