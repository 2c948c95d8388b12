using System.Collections.Generic;
using System.Net;
using System.Text;

namespace Controller.Web;

/// <summary>The pages' shared frame (head, navigation, main) and HTML escaping.</summary>
public static class Html
{
    private static readonly (string Path, string Title)[] Navigation =
    {
        ("/", "Cluster"),
        ("/registrations", "Registrations"),
        ("/events", "Event log"),
        ("/system-options", "System Options"),
        ("/telephone-directory", "Telephone Directory"),
        ("/multiline-ip-sets", "Multiline IP Sets"),
        ("/remote-directory-numbers", "Remote Directory Numbers"),
        ("/cluster-elements", "Cluster Elements"),
        ("/phones", "Phones"),
    };

    public static string E(string? text)
    {
        return WebUtility.HtmlEncode(text ?? string.Empty);
    }

    /// <summary>A whole page: <paramref name="stream"/>, when set, is the server-sent event stream the page's script listens to.</summary>
    public static string Page(string element, string title, string path, string body, string? stream = null)
    {
        StringBuilder html = new();
        html.Append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
            .Append("<title>").Append(E(title)).Append(" - ").Append(E(element)).Append("</title>")
            .Append("<link rel=\"stylesheet\" href=\"/static/site.css\"><script src=\"/static/site.js\" defer></script></head>")
            .Append("<body").Append(stream != null ? " data-stream=\"" + E(stream) + "\"" : string.Empty).Append('>')
            .Append("<a class=\"skip\" href=\"#main\">Skip to content</a>")
            .Append("<header><span class=\"element\">").Append(E(element)).Append("</span><nav aria-label=\"Forms and views\"><ul>");
        foreach ((string navPath, string navTitle) in Navigation)
        {
            html.Append("<li><a href=\"").Append(navPath).Append('"').Append(navPath == path ? " aria-current=\"page\"" : string.Empty)
                .Append('>').Append(E(navTitle)).Append("</a></li>");
        }

        html.Append("</ul></nav><form method=\"post\" action=\"/signout\"><button type=\"submit\">Sign out</button></form></header>")
            .Append("<main id=\"main\"><h1>").Append(E(title)).Append("</h1>").Append(body).Append("</main></body></html>");
        return html.ToString();
    }

    /// <summary>A table: headers and already-escaped cells.</summary>
    public static string Table(string id, string caption, string[] headers, List<string[]> rows, string empty)
    {
        StringBuilder html = new();
        html.Append("<table id=\"").Append(id).Append("\"><caption>").Append(E(caption)).Append("</caption><thead><tr>");
        foreach (string header in headers)
        {
            html.Append("<th scope=\"col\">").Append(E(header)).Append("</th>");
        }

        html.Append("</tr></thead><tbody>");
        foreach (string[] row in rows)
        {
            html.Append("<tr>");
            for (int i = 0; i < row.Length; i++)
            {
                html.Append("<td data-label=\"").Append(E(headers[i])).Append("\">").Append(row[i]).Append("</td>");
            }

            html.Append("</tr>");
        }

        if (rows.Count == 0)
        {
            html.Append("<tr><td colspan=\"").Append(headers.Length).Append("\">").Append(E(empty)).Append("</td></tr>");
        }

        html.Append("</tbody></table>");
        return html.ToString();
    }

    /// <summary>A labelled text field with its error (if any) beside it, tied by aria-describedby.</summary>
    public static string Field(string form, string name, string label, string? value, string? error, string hint = "")
    {
        string id = form + "-" + name;
        StringBuilder html = new();
        html.Append("<div class=\"field\"><label for=\"").Append(id).Append("\">").Append(E(label)).Append("</label>")
            .Append("<input id=\"").Append(id).Append("\" name=\"").Append(name).Append("\" value=\"").Append(E(value)).Append('"');
        if (error != null)
        {
            html.Append(" aria-invalid=\"true\" aria-describedby=\"").Append(id).Append("-error\"");
        }

        html.Append('>');
        if (hint.Length > 0)
        {
            html.Append("<small>").Append(E(hint)).Append("</small>");
        }

        if (error != null)
        {
            html.Append("<p class=\"error\" id=\"").Append(id).Append("-error\" role=\"alert\">").Append(E(error)).Append("</p>");
        }

        html.Append("</div>");
        return html.ToString();
    }

    /// <summary>A one-button form that posts <paramref name="fields"/> (for delete and power buttons).</summary>
    public static string Button(string action, string label, string accessibleLabel, params (string Name, string Value)[] fields)
    {
        StringBuilder html = new();
        html.Append("<form class=\"inline\" method=\"post\" action=\"").Append(E(action)).Append("\">");
        foreach ((string name, string value) in fields)
        {
            html.Append("<input type=\"hidden\" name=\"").Append(E(name)).Append("\" value=\"").Append(E(value)).Append("\">");
        }

        html.Append("<button type=\"submit\" aria-label=\"").Append(E(accessibleLabel)).Append("\">").Append(E(label)).Append("</button></form>");
        return html.ToString();
    }

    public static string Notice(string? text)
    {
        return text == null ? string.Empty : "<p class=\"notice\" role=\"status\">" + E(text) + "</p>";
    }

    public static string FormError(string? text)
    {
        return text == null ? string.Empty : "<p class=\"error\" role=\"alert\">" + E(text) + "</p>";
    }
}
