using System.Globalization;

namespace LetsData.Runtime.Aws.DynamoDB;

/// <summary>
/// What DynamoDB accepts as a number, checked before sending: one bad number makes DynamoDB refuse the whole
/// <c>BatchWriteItem</c> call (25 documents and the task), so a document carrying one must be refused alone instead.
/// </summary>
public static class DynamoDBNumbers
{
    /// <summary>DynamoDB keeps at most 38 significant digits.</summary>
    public const int MaxSignificantDigits = 38;

    /// <summary>Smallest decimal exponent of a non-zero DynamoDB number's leading digit (1E-130).</summary>
    public const int MinExponent = -130;

    /// <summary>Largest decimal exponent of a DynamoDB number's leading digit (9.99…E+125).</summary>
    public const int MaxExponent = 125;

    /// <summary>
    /// Null when <paramref name="text"/> is a JSON number DynamoDB can store, else why not. Also returns the count of
    /// significant digits, which the item size estimate needs.
    /// </summary>
    /// <param name="text">The number's text, in JSON number syntax.</param>
    /// <param name="significantDigits">Digits without leading and trailing zeros (0 for zero).</param>
    public static string? Check(ReadOnlySpan<char> text, out int significantDigits)
    {
        significantDigits = 0;
        var i = 0;
        if (i < text.Length && text[i] == '-')
        {
            i++;
        }

        // Digits of the mantissa, the decimal point ignored: the value is digits × 10^(exponent − fractionDigits).
        int firstNonZero = -1, lastNonZero = -1, digitCount = 0, fractionDigits = 0;
        var inFraction = false;
        for (; i < text.Length; i++)
        {
            var c = text[i];
            if (c is >= '0' and <= '9')
            {
                if (c != '0')
                {
                    if (firstNonZero < 0)
                    {
                        firstNonZero = digitCount;
                    }

                    lastNonZero = digitCount;
                }

                digitCount++;
                if (inFraction)
                {
                    fractionDigits++;
                }
            }
            else if (c == '.' && !inFraction)
            {
                inFraction = true;
            }
            else
            {
                break;
            }
        }

        if (digitCount == 0)
        {
            return "not a number";
        }

        long exponent = 0;
        if (i < text.Length)
        {
            if ((text[i] != 'e' && text[i] != 'E')
                || !long.TryParse(text[(i + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out exponent))
            {
                return "not a number";
            }
        }

        if (firstNonZero < 0)
        {
            return null;
        }

        significantDigits = lastNonZero - firstNonZero + 1;
        if (significantDigits > MaxSignificantDigits)
        {
            return $"has {significantDigits} significant digits; DynamoDB keeps at most {MaxSignificantDigits}";
        }

        // Exponent of the leading significant digit.
        var leading = exponent - fractionDigits + (digitCount - 1 - firstNonZero);
        return leading is < MinExponent or > MaxExponent
            ? $"is outside DynamoDB's number range (1E{MinExponent} to 9.99…E+{MaxExponent} in magnitude)"
            : null;
    }
}
