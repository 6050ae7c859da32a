using System.Globalization;
using Mesh.Config.Text;

namespace Mesh.Cli.Output;

/// <summary>A line meshctl prints with values from the server or a manifest in it: every string value is escaped
/// (<see cref="UntrustedText"/>), so none can add a line, a row or a colour; the text around the values is kept.
/// Numbers, times and enums keep their format specifiers.</summary>
public static class TerminalText
{
    public static string Of(FormattableString line) =>
        string.Format(CultureInfo.InvariantCulture, line.Format, [.. line.GetArguments().Select(Escape)]);

    private static object? Escape(object? value) => value is IFormattable ? value : UntrustedText.Escape(value?.ToString() ?? "");
}
