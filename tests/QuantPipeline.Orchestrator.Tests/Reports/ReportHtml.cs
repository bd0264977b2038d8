using System.Buffers.Binary;
using System.Xml;
using System.Xml.Linq;
using SkiaSharp;

namespace QuantPipeline.Orchestrator.Tests.Reports;

/// <summary>Reads a written report back: the markup as XML, the embedded charts as decoded PNG images.</summary>
internal static class ReportHtml
{
    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    public static XDocument Parse(string html)
    {
        using var reader = XmlReader.Create(new StringReader(html), new XmlReaderSettings { DtdProcessing = DtdProcessing.Ignore });
        return XDocument.Load(reader);
    }

    public static IEnumerable<XElement> Elements(XDocument document, string name) => document.Descendants(name);

    public static string Figure(XDocument document, string key) =>
        document.Descendants("dd").Single(d => (string?)d.Attribute("data-figure") == key).Value;

    /// <summary>Charts by their data-chart key, each decoded from its data URI.</summary>
    public static Dictionary<string, byte[]> Charts(XDocument document) => document.Descendants("img").ToDictionary(
        i => (string)i.Attribute("data-chart")!,
        i =>
        {
            var src = (string)i.Attribute("src")!;
            const string prefix = "data:image/png;base64,";
            Assert.StartsWith(prefix, src);
            return Convert.FromBase64String(src[prefix.Length..]);
        });

    /// <summary>Checks the PNG signature, the IHDR size and that Skia decodes the whole image; returns the bitmap.</summary>
    public static SKBitmap DecodePng(byte[] png, int width, int height)
    {
        Assert.True(png.AsSpan(0, 8).SequenceEqual(PngSignature), "not a PNG signature");
        Assert.Equal("IHDR", System.Text.Encoding.ASCII.GetString(png, 12, 4));
        Assert.Equal(width, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16, 4)));
        Assert.Equal(height, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20, 4)));
        Assert.Equal("IEND", System.Text.Encoding.ASCII.GetString(png, png.Length - 8, 4));
        var bitmap = SKBitmap.Decode(png);
        Assert.NotNull(bitmap);
        Assert.Equal(width, bitmap.Width);
        Assert.Equal(height, bitmap.Height);
        return bitmap;
    }

    /// <summary>How many distinct colours the image holds: a blank or single-colour image has one or two.</summary>
    public static int DistinctColours(SKBitmap bitmap)
    {
        var colours = new HashSet<uint>();
        for (var y = 0; y < bitmap.Height; y += 2)
        {
            for (var x = 0; x < bitmap.Width; x += 2)
            {
                colours.Add((uint)bitmap.GetPixel(x, y));
            }
        }

        return colours.Count;
    }
}
