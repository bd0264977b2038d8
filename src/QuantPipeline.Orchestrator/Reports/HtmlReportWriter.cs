using System.Globalization;
using System.Net;
using System.Text;
using QuantPipeline.Orchestrator.Pipeline;

namespace QuantPipeline.Orchestrator.Reports;

/// <summary>Writes a <see cref="ReportDocument"/> as one self-contained HTML file (no external resources).</summary>
public static class HtmlReportWriter
{
    /// <summary>Writes the report atomically (temporary file, then rename) and returns the full path.</summary>
    public static string Write(ReportDocument document, string path)
    {
        ArgumentNullException.ThrowIfNull(document);
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        AtomicFile.WriteAllText(full, Render(document));
        return full;
    }

    public static string Render(ReportDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var c = CultureInfo.InvariantCulture;
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
            .Append(E(document.Title)).Append("</title></head><body>");
        html.Append("<h1>").Append(E(document.Title)).Append("</h1>");
        html.Append("<p>Generated ").Append(document.GeneratedUtc.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", c));
        if (document.RunId is not null)
        {
            html.Append(", run ").Append(E(document.RunId));
        }

        html.Append("</p>");
        if (document.Gate is { } gate)
        {
            html.Append("<h2>Gate</h2><p>").Append(E(gate.Describe())).Append("</p>");
        }

        if (document.Metrics.Count > 0)
        {
            Table(html, new ReportTable("Metrics", ["metric", "value"], [.. document.Metrics.Select(m => (IReadOnlyList<string>)[m.Key, m.Value.ToString("0.####", c)])]));
        }

        foreach (var table in document.Tables)
        {
            Table(html, table);
        }

        if (document.Lineage.Count > 0)
        {
            Table(html, new ReportTable("Lineage", ["field", "value"], [.. document.Lineage.Select(l => (IReadOnlyList<string>)[l.Key, l.Value])]));
        }

        if (document.ConfigText is not null)
        {
            html.Append("<h2>Configuration</h2><pre>").Append(E(document.ConfigText)).Append("</pre>");
        }

        html.Append("</body></html>");
        return html.ToString();
    }

    private static void Table(StringBuilder html, ReportTable table)
    {
        html.Append("<h2>").Append(E(table.Title)).Append("</h2><table><tr>");
        foreach (var column in table.Columns)
        {
            html.Append("<th>").Append(E(column)).Append("</th>");
        }

        html.Append("</tr>");
        foreach (var row in table.Rows)
        {
            html.Append("<tr>");
            foreach (var cell in row)
            {
                html.Append("<td>").Append(E(cell)).Append("</td>");
            }

            html.Append("</tr>");
        }

        html.Append("</table>");
    }

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
