using System.Reflection;
using ScottPlot;
using SkiaSharp;

namespace QuantPipeline.Orchestrator.Reports;

/// <summary>
/// The one typeface every chart draws with: DejaVu Sans, embedded in this assembly. Charts must not depend on
/// the machine's fonts (a fresh server or container often has none, and the NoDependencies Skia build does not
/// ask fontconfig), so the typeface is loaded from the resource and ScottPlot is told to use it for every name.
/// </summary>
public static class ChartFont
{
    /// <summary>The family name charts ask for; it resolves only to the embedded typeface.</summary>
    public const string Name = "QuantPipeline Sans";

    private const string ResourceName = "QuantPipeline.Orchestrator.Reports.Fonts.DejaVuSans.ttf";

    private static readonly Lazy<SKTypeface> Embedded = new(Load);
    private static readonly Lock Gate = new();
    private static bool _registered;

    /// <summary>The embedded typeface (DejaVu Sans Book).</summary>
    public static SKTypeface Typeface => Embedded.Value;

    /// <summary>Makes ScottPlot resolve <see cref="Name"/> (and its default font) to the embedded typeface. Idempotent.</summary>
    public static void Register()
    {
        lock (Gate)
        {
            if (_registered)
            {
                return;
            }

            Fonts.FontResolvers.Insert(0, new EmbeddedResolver());
            Fonts.Default = Name;
            _registered = true;
        }
    }

    private static SKTypeface Load()
    {
        using var stream = typeof(ChartFont).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The chart font resource '{ResourceName}' is missing from {typeof(ChartFont).Assembly.GetName().Name}; the build did not embed Reports/Fonts/DejaVuSans.ttf.");
        using var data = SKData.Create(stream);
        return SKTypeface.FromData(data)
            ?? throw new InvalidOperationException($"Skia could not read the embedded chart font '{ResourceName}'.");
    }

    /// <summary>Answers every request with the embedded typeface: bold and italic are drawn from the regular face.</summary>
    private sealed class EmbeddedResolver : IFontResolver
    {
        public SKTypeface? CreateTypeface(string fontName, FontWeight weight, FontSlant slant, FontSpacing spacing) => Typeface;

        public SKTypeface? CreateTypeface(string fontName, bool bold, bool italic) => Typeface;
    }
}
