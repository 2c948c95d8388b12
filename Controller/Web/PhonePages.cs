using System;
using System.Collections.Generic;
using System.Text;
using System.Threading.Channels;
using System.Threading.Tasks;
using Hal;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Controller.Web;

/// <summary>
/// The phones in the browser: a list, and per phone its face (the two display lines the core
/// draws, the keypad with Confirm and Backspace, power, and power up holding '*'). Keys and power
/// are form posts (the script sends them without reloading); the screen comes back as
/// server-sent "screen" events.
/// </summary>
public sealed class PhonePages
{
    private const string HtmlType = "text/html; charset=utf-8";
    private static readonly (string Value, string Label, string Accessible)[] Keypad =
    {
        ("1", "1", "1"), ("2", "2", "2"), ("3", "3", "3"),
        ("4", "4", "4"), ("5", "5", "5"), ("6", "6", "6"),
        ("7", "7", "7"), ("8", "8", "8"), ("9", "9", "9"),
        ("*", "*", "star"), ("0", "0", "0"), ("#", "#", "pound"),
        ("backspace", "⌫", "Backspace"), ("confirm", "OK", "Confirm"),
    };

    private readonly string _element;
    private readonly List<WebPhone> _phones;

    public PhonePages(string element, List<WebPhone> phones)
    {
        _element = element;
        _phones = phones;
    }

    public void Map(WebApplication app)
    {
        app.MapGet("/phones", () => Results.Content(Html.Page(_element, "Phones", "/phones", List()), HtmlType));
        app.MapGet("/phones/{id}", (string id) => Find(id) is WebPhone phone
            ? Results.Content(Html.Page(_element, "Phone " + phone.Label, "/phones", Face(phone), "/phones/" + phone.Id + "/stream"), HtmlType)
            : NotFound(id));
        app.MapGet("/phones/{id}/screen", (string id) => Find(id) is WebPhone phone ? Results.Content(Screen(phone), HtmlType) : NotFound(id));
        app.MapGet("/phones/{id}/stream", (HttpContext context, string id) => Find(id) is WebPhone phone ? Stream(context, phone) : NotFound(id).ExecuteAsync(context));
        app.MapPost("/phones/{id}/key", async (HttpContext context, string id) =>
        {
            IFormCollection form = await context.Request.ReadFormAsync().ConfigureAwait(false);
            if (Find(id) is not WebPhone phone)
            {
                return NotFound(id);
            }

            char? key = KeyOf(form["key"].ToString());
            if (key == null)
            {
                return Results.Content("unknown key '" + Html.E(form["key"]) + "'", "text/plain", Encoding.UTF8, StatusCodes.Status400BadRequest);
            }

            phone.Press(key.Value);
            return Back(context, phone);
        });
        app.MapPost("/phones/{id}/power", async (HttpContext context, string id) =>
        {
            IFormCollection form = await context.Request.ReadFormAsync().ConfigureAwait(false);
            if (Find(id) is not WebPhone phone)
            {
                return NotFound(id);
            }

            switch (form["power"].ToString())
            {
                case "on":
                    phone.PowerUp(holdingStar: false);
                    break;
                case "on-holding-star":
                    phone.PowerDown();
                    phone.PowerUp(holdingStar: true);
                    break;
                case "off":
                    await Task.Run(phone.PowerDown).ConfigureAwait(false);
                    break;
                default:
                    return Results.Content("power must be on, on-holding-star or off", "text/plain", Encoding.UTF8, StatusCodes.Status400BadRequest);
            }

            return Back(context, phone);
        });
    }

    /// <summary>The page's key names to keypad characters: dial keys as themselves, plus confirm and backspace.</summary>
    public static char? KeyOf(string name)
    {
        return name switch
        {
            "confirm" => Keys.Confirm,
            "backspace" => Keys.Backspace,
            _ when name.Length == 1 && Keys.IsDialKey(name[0]) => name[0],
            _ => null,
        };
    }

    // The script posts with fetch and wants no page; a plain form post goes back to the phone.
    private static IResult Back(HttpContext context, WebPhone phone)
    {
        return context.Request.Headers["X-Requested-With"] == "fetch" ? Results.NoContent() : Results.Redirect("/phones/" + phone.Id);
    }

    private static IResult NotFound(string id)
    {
        return Results.Content("no phone " + Html.E(id) + " here", "text/plain", Encoding.UTF8, StatusCodes.Status404NotFound);
    }

    private WebPhone? Find(string id)
    {
        foreach (WebPhone phone in _phones)
        {
            if (string.Equals(phone.Id, id, StringComparison.OrdinalIgnoreCase))
            {
                return phone;
            }
        }

        return null;
    }

    private string List()
    {
        if (_phones.Count == 0)
        {
            return "<p>No phones run in this process: `controller demo --web` starts a cluster with some.</p>";
        }

        StringBuilder html = new("<ul class=\"phones\">");
        foreach (WebPhone phone in _phones)
        {
            html.Append("<li><a href=\"/phones/").Append(phone.Id).Append("\">").Append(Html.E(phone.Label)).Append("</a> ").Append(Html.E(phone.Mac))
                .Append(" — ").Append(phone.State == WebPhoneState.Running ? "on" : "off").Append("</li>");
        }

        return html.Append("</ul>").ToString();
    }

    /// <summary>The display as HTML: the power state and the two lines.</summary>
    public static string Screen(WebPhone phone)
    {
        string[] lines = phone.Lines;
        StringBuilder html = new();
        html.Append("<span class=\"power\" data-power=\"").Append(phone.State == WebPhoneState.Running ? "on" : "off").Append("\">")
            .Append(phone.State == WebPhoneState.Running ? "on" : "off").Append("</span>");
        for (int i = 0; i < lines.Length; i++)
        {
            html.Append("<span class=\"line\" data-row=\"").Append(i).Append("\">").Append(Html.E(lines[i].Length == 0 ? " " : lines[i])).Append("</span>");
        }

        return html.ToString();
    }

    private static string Events(WebPhone phone)
    {
        StringBuilder html = new();
        foreach (string line in phone.RecentEvents())
        {
            html.Append("<li>").Append(Html.E(line)).Append("</li>");
        }

        return html.ToString();
    }

    private static string Face(WebPhone phone)
    {
        StringBuilder html = new("<div class=\"phone\" data-phone=\"");
        html.Append(phone.Id).Append("\"><p class=\"mac\">").Append(Html.E(phone.Mac)).Append("</p>")
            .Append("<output id=\"display\" class=\"display\" aria-live=\"polite\" aria-label=\"Display\">").Append(Screen(phone)).Append("</output>")
            .Append("<form id=\"keypad\" class=\"keypad\" method=\"post\" action=\"/phones/").Append(phone.Id).Append("/key\" aria-label=\"Keypad\">");
        foreach ((string value, string label, string accessible) in Keypad)
        {
            html.Append("<button type=\"submit\" name=\"key\" value=\"").Append(Html.E(value)).Append("\" aria-label=\"").Append(Html.E(accessible)).Append("\"")
                .Append(value == "confirm" ? " class=\"confirm\"" : string.Empty).Append('>').Append(Html.E(label)).Append("</button>");
        }

        html.Append("</form><form class=\"power\" method=\"post\" action=\"/phones/").Append(phone.Id).Append("/power\" aria-label=\"Power\">")
            .Append("<button type=\"submit\" name=\"power\" value=\"on\">Power on</button>")
            .Append("<button type=\"submit\" name=\"power\" value=\"on-holding-star\">Power up holding *</button>")
            .Append("<button type=\"submit\" name=\"power\" value=\"off\">Power off</button></form>")
            .Append("<p class=\"hint\">Keyboard: 0-9 * # type, Enter confirms, Backspace erases.</p>")
            .Append("<h2>Phone events</h2><ol id=\"phone-events\">").Append(Events(phone)).Append("</ol></div>");
        return html.ToString();
    }

    // "screen" events carry the display's HTML, "events" the phone's event list, each on one line.
    private static async Task Stream(HttpContext context, WebPhone phone)
    {
        context.Response.Headers.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        Channel<bool> changes = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
        void OnChanged() => changes.Writer.TryWrite(true);
        phone.Changed += OnChanged;
        try
        {
            changes.Writer.TryWrite(true);
            while (await changes.Reader.WaitToReadAsync(context.RequestAborted).ConfigureAwait(false))
            {
                changes.Reader.TryRead(out _);
                await context.Response.WriteAsync("event: screen\ndata: " + Screen(phone).Replace("\n", " ", StringComparison.Ordinal) + "\n\nevent: events\ndata: " + Events(phone).Replace("\n", " ", StringComparison.Ordinal) + "\n\n", context.RequestAborted).ConfigureAwait(false);
                await context.Response.Body.FlushAsync(context.RequestAborted).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // The page closed.
        }
        finally
        {
            phone.Changed -= OnChanged;
        }
    }
}
