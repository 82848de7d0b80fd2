using System.Globalization;
using System.Text;

namespace Transmog.Data;

/// <summary>What kind of text an option takes.</summary>
internal enum OptionValueKind
{
    /// <summary>Free text (a column name, a separator).</summary>
    Text,

    /// <summary><c>true</c> or <c>false</c> (also yes/no, on/off, 1/0); a CLI switch.</summary>
    Switch,

    /// <summary>A whole number within a range.</summary>
    Number,

    /// <summary>One name of an enum, case-insensitive; spaces, <c>-</c> and <c>_</c> ignored.</summary>
    Choice,

    /// <summary><see cref="Data.IdGeneration.Parse"/>'s spelling.</summary>
    Ids,
}

/// <summary>
/// One row of <see cref="OptionTable"/>: a <see cref="TransmogOptions"/> property with its connection-string keyword and
/// synonyms, its CLI flag, a one-line description, and how to parse, format, get and set its value.
/// </summary>
internal sealed class OptionEntry
{
    private readonly Func<string, object?> _parse;
    private readonly Func<object?, string> _format;
    private readonly Func<TransmogOptions, object?> _get;
    private readonly Func<TransmogOptions, object?, TransmogOptions> _set;

    internal OptionEntry(
        string property,
        string keyword,
        string[] synonyms,
        string cliFlag,
        string description,
        OptionValueKind kind,
        Type valueType,
        string values,
        Func<string, object?> parse,
        Func<object?, string> format,
        Func<TransmogOptions, object?> get,
        Func<TransmogOptions, object?, TransmogOptions> set)
    {
        Property = property;
        Keyword = keyword;
        CliFlag = cliFlag;
        Description = description;
        Kind = kind;
        ValueType = valueType;
        Values = values;
        _parse = parse;
        _format = format;
        _get = get;
        _set = set;

        // Synonyms: the explicit ones, the keyword without spaces, the property name and its words.
        var all = new List<string>();
        foreach (string candidate in (string[])[.. synonyms, keyword.Replace(" ", string.Empty, StringComparison.Ordinal), property, Words(property)])
        {
            if (!string.Equals(candidate, keyword, StringComparison.OrdinalIgnoreCase) && !all.Contains(candidate, StringComparer.OrdinalIgnoreCase))
            {
                all.Add(candidate);
            }
        }

        Synonyms = all;

        // CLI aliases: the kebab-case of the property and of the keyword when the flag differs from them.
        var aliases = new List<string>();
        foreach (string candidate in (string[])["--" + Kebab(property), "--" + Kebab(keyword.Replace(" ", string.Empty, StringComparison.Ordinal))])
        {
            if (candidate != cliFlag && !aliases.Contains(candidate))
            {
                aliases.Add(candidate);
            }
        }

        CliAliases = aliases;
    }

    /// <summary>The <see cref="TransmogOptions"/> property.</summary>
    public string Property { get; }

    /// <summary>The canonical connection-string keyword, e.g. <c>Batch Size</c>.</summary>
    public string Keyword { get; }

    /// <summary>Other connection-string spellings of <see cref="Keyword"/> (case-insensitive).</summary>
    public IReadOnlyList<string> Synonyms { get; }

    /// <summary>The CLI flag, e.g. <c>--batch-size</c>.</summary>
    public string CliFlag { get; }

    /// <summary>Other spellings of <see cref="CliFlag"/>.</summary>
    public IReadOnlyList<string> CliAliases { get; }

    /// <summary>A CLI switch that sets the option to <see cref="NegatedValue"/> (<c>--no-timestamp</c>, <c>--no-dates</c>), if any.</summary>
    public string? CliNegation { get; init; }

    /// <summary>The value <see cref="CliNegation"/> sets: <c>null</c>, or <c>false</c> for a switch.</summary>
    public object? NegatedValue { get; init; }

    /// <summary>One line: what the option does.</summary>
    public string Description { get; }

    /// <summary>What kind of text the option takes.</summary>
    public OptionValueKind Kind { get; }

    /// <summary>The property's type.</summary>
    public Type ValueType { get; }

    /// <summary>The values the option takes, as shown in help: <c>smart|separate|inline|skip</c>, <c>1-10000</c>, ...</summary>
    public string Values { get; }

    /// <summary>The text that means <c>null</c> for a nullable option (<c>none</c>, or <c>0</c> for threads).</summary>
    public string? NullText { get; init; }

    /// <summary>What <c>null</c> means, for help text (<c>every core</c>, <c>no limit</c>).</summary>
    public string? NullMeaning { get; init; }

    /// <summary>The smallest value of a <see cref="OptionValueKind.Number"/> option.</summary>
    public long Min { get; init; }

    /// <summary>The largest value of a <see cref="OptionValueKind.Number"/> option.</summary>
    public long Max { get; init; }

    /// <summary>Whether <c>null</c> is a value of the option.</summary>
    public bool IsNullable => NullText is not null;

    /// <summary>
    /// Parses <paramref name="text"/> into the typed value and checks it the way <see cref="TransmogOptions"/> does.
    /// </summary>
    /// <param name="text">The text.</param>
    /// <param name="subject">Who is asking, for the message: <c>Connection string keyword 'Batch Size'</c>, <c>--batch-size</c>.</param>
    /// <exception cref="ArgumentException">The text is not a valid value; the message names the subject and the text.</exception>
    public object? Parse(string text, string subject)
    {
        ArgumentNullException.ThrowIfNull(text);
        string trimmed = text.Trim();
        object? value;
        if (IsNullable && (trimmed.Length == 0
            || string.Equals(trimmed, NullText, StringComparison.OrdinalIgnoreCase)
            || string.Equals(trimmed, "none", StringComparison.OrdinalIgnoreCase)))
        {
            value = null;
        }
        else
        {
            try
            {
                value = _parse(Kind == OptionValueKind.Text ? text : trimmed);
            }
            catch (ArgumentException ex)
            {
                throw Invalid(subject, text, ex.Message, ex);
            }

            if (value is null)
            {
                throw Invalid(subject, text, Expected(), null);
            }
        }

        return Check(value, subject, text);
    }

    /// <summary>
    /// Turns a value given to a connection-string builder into the typed value: text is parsed, a value of the
    /// property's type is checked, a whole number of another integer type is converted (never rounded), anything
    /// else is parsed from its invariant text.
    /// </summary>
    /// <param name="value">The value.</param>
    /// <param name="subject">Who is asking, for the message.</param>
    /// <exception cref="ArgumentException">The value is not valid.</exception>
    public object? Coerce(object? value, string subject)
    {
        if (value is string text)
        {
            return Parse(text, subject);
        }

        Type type = Nullable.GetUnderlyingType(ValueType) ?? ValueType;
        if (value is null)
        {
            return IsNullable ? null : throw Invalid(subject, "null", Expected(), null);
        }

        if (type.IsInstanceOfType(value))
        {
            return Check(value, subject, Format(value));
        }

        if (Kind == OptionValueKind.Number && value is byte or sbyte or short or ushort or int or uint or long or ulong)
        {
            try
            {
                object converted = Convert.ChangeType(value, type, CultureInfo.InvariantCulture);
                return Check(converted, subject, Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty);
            }
            catch (Exception ex) when (ex is InvalidCastException or OverflowException or FormatException)
            {
                throw Invalid(subject, Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty, Expected(), ex);
            }
        }

        return Parse(Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty, subject);
    }

    /// <summary>The text of a value, as connection strings and the CLI spell it; <see cref="Parse"/> reads it back.</summary>
    /// <param name="value">A value of the property's type.</param>
    public string Format(object? value) => value is null ? NullText ?? string.Empty : _format(value);

    /// <summary>The option's value in <paramref name="options"/>.</summary>
    /// <param name="options">The options.</param>
    public object? Get(TransmogOptions options) => _get(options);

    /// <summary>A copy of <paramref name="options"/> with this option set to <paramref name="value"/>.</summary>
    /// <param name="options">The options.</param>
    /// <param name="value">A value of the property's type.</param>
    public TransmogOptions Set(TransmogOptions options, object? value) => _set(options, value);

    /// <summary>The default shown in help: the value in <paramref name="defaults"/>.</summary>
    /// <param name="defaults">The options a command starts from.</param>
    public string DefaultText(TransmogOptions defaults) => _get(defaults) is { } value ? Format(value) : NullMeaning ?? Format(null);

    /// <summary>What the option expects, for messages.</summary>
    public string Expected() => Kind switch
    {
        OptionValueKind.Switch => "expected true or false",
        OptionValueKind.Number => string.Create(CultureInfo.InvariantCulture, $"expected a whole number from {Min} to {Max}") + (IsNullable ? $" or {NullText}" : string.Empty),
        OptionValueKind.Choice => "expected one of " + Values.Replace("|", ", ", StringComparison.Ordinal),
        OptionValueKind.Ids => "expected random, natural, hash or field names separated by commas",
        _ => "expected a non-empty text" + (IsNullable ? $" or {NullText}" : string.Empty),
    };

    /// <summary><c>FullScan</c> → <c>full-scan</c>.</summary>
    /// <param name="name">A PascalCase name.</param>
    internal static string Kebab(string name)
    {
        var text = new StringBuilder(name.Length + 4);
        for (int i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0)
            {
                text.Append('-');
            }

            text.Append(char.ToLowerInvariant(name[i]));
        }

        return text.ToString();
    }

    /// <summary><c>IncludeArrayIndex</c> → <c>Include Array Index</c>.</summary>
    /// <param name="name">A PascalCase name.</param>
    internal static string Words(string name)
    {
        var text = new StringBuilder(name.Length + 4);
        for (int i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0)
            {
                text.Append(' ');
            }

            text.Append(name[i]);
        }

        return text.ToString();
    }

    private object? Check(object? value, string subject, string text)
    {
        try
        {
            _ = _set(TransmogOptions.Default, value);
        }
        catch (ArgumentException ex)
        {
            // A number out of range is said in the option's own terms (--threads takes 0 for every core, which the
            // property itself calls null).
            throw Invalid(subject, text, Kind == OptionValueKind.Number && IsNullable ? Expected() : ex.Message, ex);
        }

        return value;
    }

    private static ArgumentException Invalid(string subject, string text, string reason, Exception? inner) =>
        new($"{subject} cannot be '{text}': {reason}", inner);
}
