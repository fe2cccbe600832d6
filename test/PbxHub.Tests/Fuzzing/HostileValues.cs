using CsCheck;

namespace PbxHub.Tests.Fuzzing;

/// <summary>A field value that replaces a real one: text, or a raw JSON fragment (another JSON type than the field's).</summary>
internal sealed record HostileValue(string Text, bool RawJson, string Kind);

/// <summary>Values a hostile or broken sender puts where a real payload has a field.</summary>
internal static class HostileValues
{
    /// <summary>The field's JSON type changed: number, bool, null, object, array, or a string where a number was.</summary>
    private static readonly string[] OtherTypes =
    [
        "0", "-1", "1.5", "1e308", "-1e308", "18446744073709551616", "-9223372036854775809", "123456789012345678901234567890",
        "1E400", "true", "false", "null", "{}", "[]", "[\"1\"]", "{\"a\":{\"b\":[1,2,{}]}}", "[null]", "\"\"",
    ];

    /// <summary>Text that looks almost right: numbers and times at and past their limits, odd digits, odd escapes.</summary>
    private static readonly string[] AlmostRight =
    [
        "", " ", "0", "-1", "+1", "00", "1e5", "0x10", " 1378296000 ", "1378296000.5", "١٣٧٨٢٩٦٠٠٠", "１２３",
        "99999999999", "100000000000", "253402300799999", "253402300800000", "9223372036854775807", "9223372036854775808",
        "18446744073709551616", "NaN", "Infinity", "-0", "2147483647", "2147483648", "2147483647.5", "79228162514264337593543950336",
        "2021-01-28 14:15:22", "2021-02-30 25:61:00", "0001-01-01 00:00:00", "9999-12-31 23:59:59", "1969-12-31 23:59:59",
        "2200-12-31 23:59:59", "2021-03-28 02:30:00", "2021-10-31 02:30:00", "2021-01-28T14:15:22+14:00", "2021-01-28 14:15:22-23:59",
        "2021-01-28 14:15:22Z", "2021-01-28", "14:15:22", "ANSWER", "answer", "NO ANSWER", "603-S", "200", "999",
        "start", "END", "i", "o", "x", "1", "2", "3", "4", "5", "9",
        "%2520", "%25", "%", "%zz", "%C3%28", "%FF%FE", "a+b", "a%20b", "&", "=", "a=b&c", "?", "#", ";",
        "\0", "a\0b", "\ud800", "\udfff", "\ufeff", "\u202e123", "😀", "звонок", "\t\r\n", "\u0085", "\\", "\"", "'",
        "http://127.0.0.1:9/a b.wav", "ftp://127.0.0.1/%2Fa%2Fb.wav", "/wav/../../etc/passwd", "javascript:alert(1)",
        "+79031234567", "89031234567", "0987858227", "380987858227", "012345101", "80052002651", "800774994086005",
        "+", "++7", "7 (903) 123-45-67", "+999999999999999999999", "000000000000000",
    ];

    public static readonly Gen<HostileValue> Any = Gen.Frequency(
        (3, Gen.OneOfConst(OtherTypes).Select(v => new HostileValue(v, true, "json type changed"))),
        (6, Gen.OneOfConst(AlmostRight).Select(v => new HostileValue(v, false, "almost right"))),
        (2, Gen.Select(Gen.Int[1_000, 70_000], Gen.OneOfConst('9', 'x', 'я', '%', ' ', '\0')).Select((n, c) => new HostileValue(new string(c, n), false, $"{n} × U+{(int)c:X4}"))),
        (1, Gen.Int[10, 400].Select(n => new HostileValue(new string('9', n), true, $"{n}-digit number"))),
        (2, Gen.Int[30, 10_000].Select(n => new HostileValue(new string('[', n) + new string(']', n), true, $"array nested {n} deep"))),
        (1, Gen.Int[30, 3_000].Select(n => new HostileValue(string.Concat(Enumerable.Repeat("{\"a\":", n)) + "1" + new string('}', n), true, $"object nested {n} deep"))),
        (3, Gen.String.Select(s => new HostileValue(s, false, "random text"))),
        (1, Gen.Char.Array[0, 40].Select(c => new HostileValue(new string(c), false, "random chars"))));
}
