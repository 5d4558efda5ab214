using System.Net.Sockets;
using System.Text.RegularExpressions;
using Sluice.Core.Project;

namespace Sluice.Warehouses.ClickHouse;

/// <summary>
/// Turns ClickHouse's error replies (<c>Code: 62, e.displayText() = DB::Exception: Syntax error …</c>)
/// and failed HTTP connections into <see cref="WarehouseException"/>s that carry the server's
/// words and numeric code, never the password.
/// </summary>
internal static partial class ClickHouseErrors
{
    /// <summary>The server's code for a query it could not parse.</summary>
    public const int SyntaxError = 62;

    private static readonly HashSet<int> LoginCodes = [192, 193, 194, 516];

    // DUPLICATE_COLUMN, TABLE_ALREADY_EXISTS, DATABASE_ALREADY_EXISTS.
    private static readonly HashSet<int> AlreadyExistsCodes = [15, 57, 82];
    private static readonly HashSet<int> TransientCodes = [159, 202, 209, 210, 241, 252, 285];

    /// <summary>An error the server sent back in the body of a reply.</summary>
    public static WarehouseException FromReply(string body, string? doing = null)
    {
        var match = Reply().Match(body);
        var code = match.Success ? int.Parse(match.Groups["code"].Value, System.Globalization.CultureInfo.InvariantCulture) : (int?)null;
        var text = match.Success ? match.Groups["text"].Value.Trim() : body.Trim();
        text = SecretMasker.Mask(text.Replace("DB::Exception: ", string.Empty, StringComparison.Ordinal));
        var message = doing is null ? $"ClickHouse error {code}: {text}" : $"ClickHouse error {code} while {doing}: {text}";
        return new WarehouseException(code == SyntaxError ? message.Replace("Syntax error", "syntax error", StringComparison.Ordinal) : message)
        {
            ErrorCode = code?.ToString(System.Globalization.CultureInfo.InvariantCulture),
            IsSyntaxError = code == SyntaxError,
            IsLoginRefused = code is { } c && LoginCodes.Contains(c),
            IsTransient = code is { } t && TransientCodes.Contains(t),
            IsAlreadyExists = code is { } a && AlreadyExistsCodes.Contains(a),
        };
    }

    /// <summary>The server could not be reached, or the connection broke under a request.</summary>
    public static WarehouseException FromConnection(Exception error, string location, string? doing = null)
    {
        var reason = error is HttpRequestException { InnerException: SocketException socket } ? socket.Message : error.Message;
        return new WarehouseException($"Cannot reach ClickHouse at {location}{(doing is null ? "" : $" while {doing}")}: {SecretMasker.Mask(reason)}. Check that the server runs and the URL's host and port.", error)
        {
            IsConnectionFailure = true,
            IsTransient = true,
        };
    }

    /// <summary>Where the parser stopped: "failed at position 11" counts characters from 1.</summary>
    public static int? Position(string message)
    {
        var match = FailedAt().Match(message);
        return match.Success ? int.Parse(match.Groups["at"].Value, System.Globalization.CultureInfo.InvariantCulture) : null;
    }

    [GeneratedRegex(@"Code:\s*(?<code>\d+),\s*e\.displayText\(\)\s*=\s*(?<text>.*?)(,\s*e\.what\(\)\s*=\s*.*)?\s*$", RegexOptions.Singleline)]
    private static partial Regex Reply();

    [GeneratedRegex(@"failed at position (?<at>\d+)")]
    private static partial Regex FailedAt();
}
