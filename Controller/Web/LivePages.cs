using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using System.Threading.Tasks;
using Controller.Events;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Controller.Web;

/// <summary>
/// The live views: the cluster (elements and the sets on each), this element's registrations and
/// its event log. Pages are rendered whole; the script then listens to /events/stream
/// (server-sent events) and, on each event, adds the event's row to the log and re-fetches the
/// tables marked data-refresh.
/// </summary>
public sealed class LivePages
{
    private const string HtmlType = "text/html; charset=utf-8";
    private readonly ControllerElement _element;
    private readonly AdminSiteExtras _extras;

    public LivePages(ControllerElement element, AdminSiteExtras extras)
    {
        _element = element;
        _extras = extras;
    }

    public void Map(WebApplication app)
    {
        app.MapGet("/", () => Results.Content(Html.Page(_element.Name, "Cluster", "/", "<div id=\"cluster\" data-refresh=\"/cluster/table\" data-every=\"2000\" aria-live=\"polite\">" + ClusterTables() + "</div>", "/events/stream"), HtmlType));
        app.MapGet("/cluster/table", () => Results.Content(ClusterTables(), HtmlType));
        app.MapGet("/registrations", () => Results.Content(Html.Page(_element.Name, "Registrations", "/registrations", "<div id=\"registrations\" data-refresh=\"/registrations/table\" aria-live=\"polite\">" + RegistrationsTable(_element) + "</div>", "/events/stream"), HtmlType));
        app.MapGet("/registrations/table", () => Results.Content(RegistrationsTable(_element), HtmlType));
        app.MapGet("/events", () => Results.Content(Html.Page(_element.Name, "Event log", "/events", EventLog(), "/events/stream"), HtmlType));
        app.MapGet("/events/stream", (HttpContext context) => Stream(context, _element.Events));
    }

    /// <summary>One event as the log's list item (one line, so it fits one SSE data field).</summary>
    public static string EventItem(ControllerEvent e)
    {
        return "<li class=\"event " + Html.E(e.Kind) + "\" data-kind=\"" + Html.E(e.Kind) + "\"><time datetime=\"" + e.Time.ToString("O", CultureInfo.InvariantCulture) + "\">"
            + e.Time.ToString("HH:mm:ss", CultureInfo.InvariantCulture) + "</time> <span class=\"kind\">" + Html.E(e.Kind) + "</span> <span class=\"subject\">"
            + Html.E(e.Subject) + "</span> <span class=\"detail\">" + Html.E(e.Detail) + "</span></li>";
    }

    // Writes the feed as server-sent events until the page goes away: "log" events carry one <li>.
    private static async Task Stream(HttpContext context, ControllerEventFeed feed)
    {
        context.Response.Headers.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        using ControllerEventFeed.Subscription subscription = feed.Subscribe();
        await context.Response.WriteAsync(": connected\n\n", context.RequestAborted).ConfigureAwait(false);
        await context.Response.Body.FlushAsync(context.RequestAborted).ConfigureAwait(false);
        try
        {
            await foreach (ControllerEvent e in subscription.Reader.ReadAllAsync(context.RequestAborted).ConfigureAwait(false))
            {
                await context.Response.WriteAsync("event: log\nid: " + e.Sequence.ToString(CultureInfo.InvariantCulture) + "\ndata: " + EventItem(e) + "\n\n", context.RequestAborted).ConfigureAwait(false);
                await context.Response.Body.FlushAsync(context.RequestAborted).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // The page closed.
        }
    }

    private string EventLog()
    {
        List<ControllerEvent> recent = _element.Events.Recent();
        StringBuilder html = new("<p>Newest first; PIN prompts, redirects, clears, resets, lock-outs, failovers, DHCP leases and TFTP transfers as they happen.</p><ol id=\"event-log\" reversed aria-live=\"polite\">");
        for (int i = recent.Count - 1; i >= 0; i--)
        {
            html.Append(EventItem(recent[i]));
        }

        return html.Append("</ol>").ToString();
    }

    public static string RegistrationsTable(ControllerElement element)
    {
        List<string[]> rows = new();
        foreach (RegistrationRow row in element.Registrations.Rows())
        {
            rows.Add(new[]
            {
                Html.E(row.Mac), Html.E(row.Dn), Html.E(row.Name), "<time datetime=\"" + row.Since.ToString("O", CultureInfo.InvariantCulture) + "\">" + row.Since.ToString("HH:mm:ss", CultureInfo.InvariantCulture) + "</time>",
                Html.E(ElementEventSources.Describe(row.By)), row.Secondary ? "secondary" : "primary", row.Connected ? "connected" : "disconnected",
            });
        }

        return Html.Table("registrations-" + element.Name, "Sets registered on " + element.Name, new[] { "MAC", "DN", "Name", "Since", "By", "Element role", "Link" }, rows, "no sets registered");
    }

    private string ClusterTables()
    {
        StringBuilder html = new();
        List<(int CeidIndex, string CeidDigits, bool IsLocal, string Address, int Port, string Comment)> elements = _element.Admin!.ListElements();
        html.Append("<ul class=\"elements\">");
        foreach ((int ceid, string _, bool isLocal, string address, int port, string comment) in elements)
        {
            html.Append("<li><strong>").Append(ceid).Append("</strong> ").Append(Html.E(comment)).Append(" at ").Append(Html.E(address)).Append(':').Append(port)
                .Append(isLocal ? " (this element)" : string.Empty).Append("</li>");
        }

        html.Append("</ul>").Append(RegistrationsTable(_element));
        foreach (ControllerElement peer in _extras.Peers)
        {
            html.Append(RegistrationsTable(peer));
        }

        if (_extras.Peers.Count == 0 && elements.Count > 1)
        {
            html.Append("<p>The other elements' sets are on their own admin pages.</p>");
        }

        return html.ToString();
    }
}
