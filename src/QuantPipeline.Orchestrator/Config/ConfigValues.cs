using System.Globalization;

namespace QuantPipeline.Orchestrator.Config;

/// <summary>
/// Turns the text of a setting (a YAML scalar, an environment variable, a --set value) into the setting's type,
/// or says what was expected instead. YAML 1.2 core rules: null, ~ and an empty value are null; true/false are booleans.
/// </summary>
public static class ConfigValues
{
    /// <param name="quoted">A quoted YAML scalar is text, never a number or a boolean.</param>
    public static bool TryParse(ConfigSetting setting, string? text, bool quoted, out object? value, out string? error)
    {
        ArgumentNullException.ThrowIfNull(setting);
        value = null;
        error = null;
        if (!quoted && IsNull(text))
        {
            if (setting.Optional)
            {
                return true;
            }

            error = $"expected {setting.TypeName}, got {(string.IsNullOrEmpty(text) ? "an empty value" : "null")}";
            return false;
        }

        text ??= string.Empty;
        switch (setting.Kind)
        {
            case ConfigValueKind.Text:
                value = text;
                return true;
            case ConfigValueKind.Integer when !quoted && TryInteger(text, out var integer):
                value = integer;
                return true;
            case ConfigValueKind.Number when !quoted && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number):
                value = number;
                return true;
            case ConfigValueKind.Boolean when !quoted && text is "true" or "True" or "TRUE" or "false" or "False" or "FALSE":
                value = text[0] is 't' or 'T';
                return true;
            case ConfigValueKind.IntegerList when !quoted:
                return TryList(setting, SplitList(text), out value, out error);
            default:
                error = quoted
                    ? $"expected {setting.TypeName}, got the quoted text \"{text}\" (remove the quotes)"
                    : $"expected {setting.TypeName}, got '{text}'";
                return false;
        }
    }

    /// <summary>A YAML sequence's items as the list setting's value.</summary>
    public static bool TryList(ConfigSetting setting, IReadOnlyList<string> items, out object? value, out string? error)
    {
        ArgumentNullException.ThrowIfNull(setting);
        ArgumentNullException.ThrowIfNull(items);
        value = null;
        error = null;
        if (setting.Kind != ConfigValueKind.IntegerList)
        {
            error = $"expected {setting.TypeName}, got a list";
            return false;
        }

        var list = new int[items.Count];
        for (var i = 0; i < items.Count; i++)
        {
            if (!TryInteger(items[i].Trim(), out list[i]))
            {
                error = $"expected {setting.TypeName}, but item {i + 1} is '{items[i].Trim()}'";
                return false;
            }
        }

        value = list;
        return true;
    }

    private static bool IsNull(string? text) => text is null or "" or "~" or "null" or "Null" or "NULL";

    private static bool TryInteger(string text, out int value) =>
        int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);

    private static string[] SplitList(string text)
    {
        var inner = text.Trim();
        if (inner.StartsWith('[') && inner.EndsWith(']'))
        {
            inner = inner[1..^1];
        }

        return inner.Trim().Length == 0 ? [] : inner.Split(',');
    }
}
