using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using System.Threading.Tasks;
using Controller.Admin;
using Controller.Forms;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Controller.Web;

/// <summary>
/// The call server's forms as pages: System Options, Telephone Directory, Multiline IP Sets,
/// Remote Directory Numbers, Cluster Elements. Every change goes through <see cref="ElementAdmin"/>,
/// the same calls (and validation) as the REST API and `controller admin`; bad input re-renders
/// the form with the message beside its field and changes nothing.
/// </summary>
public sealed class FormPages
{
    private const string HtmlType = "text/html; charset=utf-8";
    private readonly string _element;
    private readonly ElementAdmin _admin;

    public FormPages(string element, ElementAdmin admin)
    {
        _element = element;
        _admin = admin;
    }

    public void Map(WebApplication app)
    {
        app.MapGet("/system-options", (HttpContext c) => Render(SystemOptionsPage(null, null, c.Request.Query["notice"])));
        app.MapPost("/system-options", (HttpRequest c) => Post(c, "/system-options", SystemOptionsPage, form =>
        {
            _admin.SetSystemOptions(form["registrationAccessCode"], form["replacementAccessCode"], form["automaticDnRange"]);
            return Task.FromResult("System Options saved");
        }));

        app.MapGet("/telephone-directory", (HttpContext c) => Render(DirectoryPage(null, null, c.Request.Query["notice"])));
        app.MapPost("/telephone-directory", (HttpRequest c) => Post(c, "/telephone-directory", DirectoryPage, form =>
        {
            int? secondary = OptionalInt(form["secondaryCeidIndex"], "secondary element");
            _admin.AddDirectoryNumber(form["number"].ToString(), form["name"].ToString(), secondary);
            return Task.FromResult("added directory number " + form["number"]);
        }));
        app.MapPost("/telephone-directory/rename", (HttpRequest c) => Post(c, "/telephone-directory", DirectoryPage, form =>
        {
            _admin.RenameDirectoryNumber(form["number"].ToString(), form["name"].ToString());
            return Task.FromResult("renamed directory number " + form["number"] + " to '" + form["name"] + "'");
        }));
        app.MapPost("/telephone-directory/delete", (HttpRequest c) => Post(c, "/telephone-directory", DirectoryPage, async form =>
        {
            int reset = await _admin.DeleteDirectoryNumber(form["number"].ToString()).ConfigureAwait(false);
            return "deleted directory number " + form["number"] + (reset > 0 ? "; " + reset + " set(s) told to clear their PIN and reset" : string.Empty);
        }));

        app.MapGet("/multiline-ip-sets", (HttpContext c) => Render(SetsPage(null, null, c.Request.Query["notice"])));
        app.MapPost("/multiline-ip-sets", (HttpRequest c) => Post(c, "/multiline-ip-sets", SetsPage, form =>
        {
            _admin.ReserveSet(form["mac"].ToString(), form["dn"].ToString(), form["pinMemory"] == "on");
            return Task.FromResult("reserved " + form["mac"] + " on DN " + form["dn"]);
        }));
        app.MapPost("/multiline-ip-sets/delete", (HttpRequest c) => Post(c, "/multiline-ip-sets", SetsPage, async form =>
        {
            int reset = await _admin.DeleteSet(form["mac"].ToString()).ConfigureAwait(false);
            return "deleted set " + form["mac"] + (reset > 0 ? "; it was told to clear its PIN and reset" : string.Empty);
        }));

        app.MapGet("/remote-directory-numbers", (HttpContext c) => Render(RemotePage(null, null, c.Request.Query["notice"])));
        app.MapPost("/remote-directory-numbers", (HttpRequest c) => Post(c, "/remote-directory-numbers", RemotePage, form =>
        {
            _admin.AddRemote(form["number"].ToString(), RequiredInt(form["ceidIndex"], "element"), OptionalInt(form["secondaryCeidIndex"], "secondary element"));
            return Task.FromResult("added remote directory number " + form["number"]);
        }));
        app.MapPost("/remote-directory-numbers/delete", (HttpRequest c) => Post(c, "/remote-directory-numbers", RemotePage, form =>
        {
            _admin.DeleteRemote(form["number"].ToString());
            return Task.FromResult("deleted remote directory number " + form["number"]);
        }));

        app.MapGet("/cluster-elements", (HttpContext c) => Render(ElementsPage(null, null, c.Request.Query["notice"])));
        app.MapPost("/cluster-elements", (HttpRequest c) => Post(c, "/cluster-elements", ElementsPage, form =>
        {
            _admin.AddElement(RequiredInt(form["ceidIndex"], "element"), form["ceidDigits"].ToString(), form["address"].ToString(), RequiredInt(form["registrationPort"], "registration port"), form["comment"].ToString());
            return Task.FromResult("added element " + form["ceidIndex"]);
        }));
    }

    private static IResult Render(string html, int status = StatusCodes.Status200OK)
    {
        return Results.Content(html, HtmlType, Encoding.UTF8, status);
    }

    // Validated change → 303 back to the list with a notice; bad input → the same page, 400, the
    // message beside its field and what was typed kept in the form.
    private static async Task<IResult> Post(HttpRequest request, string path, Func<IFormCollection?, string?, string?, string> page, Func<IFormCollection, Task<string>> change)
    {
        IFormCollection form = await request.ReadFormAsync().ConfigureAwait(false);
        try
        {
            string notice = await change(form).ConfigureAwait(false);
            return Results.Redirect(path + "?notice=" + Uri.EscapeDataString(notice));
        }
        catch (FormException e)
        {
            return Render(page(form, e.Message, null), StatusCodes.Status400BadRequest);
        }
        catch (NotFoundException e)
        {
            return Render(page(null, e.Message, null), StatusCodes.Status404NotFound);
        }
    }

    private static int RequiredInt(string? text, string field)
    {
        return OptionalInt(text, field) ?? throw new FormException(field + " must be a number from 1 to 999, not empty");
    }

    private static int? OptionalInt(string? text, string field)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (!int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int value))
        {
            throw new FormException(field + " must be a number, not '" + text + "'");
        }

        return value;
    }

    // The field a validation message is about: the first whose phrase starts the message (else the form's top).
    private static string? ErrorFor(string field, string? error, params (string Field, string Phrase)[] phrases)
    {
        if (error == null)
        {
            return null;
        }

        foreach ((string name, string phrase) in phrases)
        {
            if (error.StartsWith(phrase, StringComparison.OrdinalIgnoreCase) || error.Contains(phrase, StringComparison.OrdinalIgnoreCase))
            {
                return name == field ? error : null;
            }
        }

        return null;
    }

    private static bool Placed(string? error, params (string Field, string Phrase)[] phrases)
    {
        if (error == null)
        {
            return true;
        }

        foreach ((string _, string phrase) in phrases)
        {
            if (error.Contains(phrase, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private static string Value(IFormCollection? form, string name, string fallback = "")
    {
        return form != null ? form[name].ToString() : fallback;
    }

    private string SystemOptionsPage(IFormCollection? form, string? error, string? notice)
    {
        (string registration, string replacement, string range) = _admin.SystemOptions();
        (string, string)[] phrases = { ("registrationAccessCode", "registration access code"), ("replacementAccessCode", "replacement access code"), ("automaticDnRange", "automatic DN range"), ("replacementAccessCode", "must differ") };
        string body = Html.Notice(notice)
            + "<form method=\"post\" action=\"/system-options\" class=\"card\">" + (Placed(error, phrases) ? string.Empty : Html.FormError(error))
            + Html.Field("options", "registrationAccessCode", "Registration access code", Value(form, "registrationAccessCode", registration), ErrorFor("registrationAccessCode", error, phrases), "1-10 of 0-9 * #")
            + Html.Field("options", "replacementAccessCode", "Replacement access code", Value(form, "replacementAccessCode", replacement), ErrorFor("replacementAccessCode", error, phrases), "1-10 of 0-9 * #, not the registration code")
            + Html.Field("options", "automaticDnRange", "Automatic DN range", Value(form, "automaticDnRange", range), ErrorFor("automaticDnRange", error, phrases), "FIRST-LAST, empty for off")
            + "<button type=\"submit\">Save</button></form>";
        return Html.Page(_element, "System Options", "/system-options", body);
    }

    private string DirectoryPage(IFormCollection? form, string? error, string? notice)
    {
        List<string[]> rows = new();
        foreach ((string number, string name) in _admin.ListDirectory())
        {
            string rename = "<form class=\"inline\" method=\"post\" action=\"/telephone-directory/rename\"><input type=\"hidden\" name=\"number\" value=\"" + Html.E(number) + "\">"
                + "<input name=\"name\" value=\"" + Html.E(name) + "\" aria-label=\"Name of " + Html.E(number) + "\" size=\"20\"> <button type=\"submit\" aria-label=\"Rename " + Html.E(number) + "\">Rename</button></form>";
            rows.Add(new[] { Html.E(number), rename, Html.Button("/telephone-directory/delete", "Delete", "Delete directory number " + number, ("number", number)) });
        }

        (string, string)[] phrases = { ("secondaryCeidIndex", "secondary element"), ("number", "directory number"), ("name", "name") };
        string body = Html.Notice(notice) + (Placed(error, phrases) ? string.Empty : Html.FormError(error))
            + Html.Table("directory", "Directory numbers of this element", new[] { "Number", "Name", "" }, rows, "no directory numbers")
            + "<h2>Add a directory number</h2><form method=\"post\" action=\"/telephone-directory\" class=\"card\">"
            + Html.Field("directory", "number", "Directory number", Value(form, "number"), ErrorFor("number", error, phrases), "1-7 of 0-9 * #")
            + Html.Field("directory", "name", "Name", Value(form, "name"), ErrorFor("name", error, phrases), "up to 20 characters")
            + Html.Field("directory", "secondaryCeidIndex", "Secondary element (CEID index)", Value(form, "secondaryCeidIndex"), ErrorFor("secondaryCeidIndex", error, phrases), "optional: where the set goes if this element fails")
            + "<button type=\"submit\">Add</button></form>";
        return Html.Page(_element, "Telephone Directory", "/telephone-directory", body);
    }

    private string SetsPage(IFormCollection? form, string? error, string? notice)
    {
        List<string[]> rows = new();
        foreach ((string dn, string? mac, bool pinMemory) in _admin.ListSets())
        {
            rows.Add(new[] { Html.E(dn), Html.E(mac ?? "(none yet)"), pinMemory ? "yes" : "no", mac == null ? string.Empty : Html.Button("/multiline-ip-sets/delete", "Delete", "Delete set " + mac, ("mac", mac)) });
        }

        (string, string)[] phrases = { ("mac", "MAC"), ("dn", "directory number") };
        string checkedAttribute = form == null || form["pinMemory"] == "on" ? " checked" : string.Empty;
        string body = Html.Notice(notice) + (Placed(error, phrases) ? string.Empty : Html.FormError(error))
            + Html.Table("sets", "Sets by DN", new[] { "DN", "MAC", "PIN memory", "" }, rows, "no sets")
            + "<h2>Reserve a set (or change the set of a DN)</h2><form method=\"post\" action=\"/multiline-ip-sets\" class=\"card\">"
            + Html.Field("sets", "mac", "MAC address", Value(form, "mac"), ErrorFor("mac", error, phrases), "like 00:08:5d:12:34:56")
            + Html.Field("sets", "dn", "Directory number", Value(form, "dn"), ErrorFor("dn", error, phrases))
            + "<div class=\"field\"><label><input type=\"checkbox\" name=\"pinMemory\"" + checkedAttribute + "> PIN memory</label></div>"
            + "<button type=\"submit\">Reserve</button></form>";
        return Html.Page(_element, "Multiline IP Sets", "/multiline-ip-sets", body);
    }

    private string RemotePage(IFormCollection? form, string? error, string? notice)
    {
        List<string[]> rows = new();
        foreach ((string number, int ceid, int? secondary) in _admin.ListRemote())
        {
            rows.Add(new[] { Html.E(number), ceid.ToString(CultureInfo.InvariantCulture), secondary?.ToString(CultureInfo.InvariantCulture) ?? "-", Html.Button("/remote-directory-numbers/delete", "Delete", "Delete remote directory number " + number, ("number", number)) });
        }

        (string, string)[] phrases = { ("secondaryCeidIndex", "secondary element"), ("ceidIndex", "element"), ("number", "directory number") };
        string body = Html.Notice(notice) + (Placed(error, phrases) ? string.Empty : Html.FormError(error))
            + Html.Table("remote", "Where directory numbers are homed", new[] { "Number", "Element", "Secondary", "" }, rows, "no remote directory numbers")
            + "<h2>Add or change a remote directory number</h2><form method=\"post\" action=\"/remote-directory-numbers\" class=\"card\">"
            + Html.Field("remote", "number", "Directory number", Value(form, "number"), ErrorFor("number", error, phrases))
            + Html.Field("remote", "ceidIndex", "Element (CEID index)", Value(form, "ceidIndex"), ErrorFor("ceidIndex", error, phrases))
            + Html.Field("remote", "secondaryCeidIndex", "Secondary element", Value(form, "secondaryCeidIndex"), ErrorFor("secondaryCeidIndex", error, phrases), "optional")
            + "<button type=\"submit\">Add</button></form>";
        return Html.Page(_element, "Remote Directory Numbers", "/remote-directory-numbers", body);
    }

    private string ElementsPage(IFormCollection? form, string? error, string? notice)
    {
        List<string[]> rows = new();
        foreach ((int ceid, string digits, bool isLocal, string address, int port, string comment) in _admin.ListElements())
        {
            rows.Add(new[] { ceid.ToString(CultureInfo.InvariantCulture), Html.E(digits), Html.E(address) + ":" + port.ToString(CultureInfo.InvariantCulture), isLocal ? "this element" : string.Empty, Html.E(comment) });
        }

        (string, string)[] phrases = { ("address", "address"), ("registrationPort", "port"), ("ceidIndex", "element"), ("ceidDigits", "digits") };
        string body = Html.Notice(notice) + (Placed(error, phrases) ? string.Empty : Html.FormError(error))
            + Html.Table("elements", "Cluster Elements and their ICP/PBX networking", new[] { "CEID", "Digits", "Registration address", "", "Comment" }, rows, "no elements")
            + "<h2>Add or change an element</h2><form method=\"post\" action=\"/cluster-elements\" class=\"card\">"
            + Html.Field("elements", "ceidIndex", "CEID index", Value(form, "ceidIndex"), ErrorFor("ceidIndex", error, phrases), "1-999")
            + Html.Field("elements", "ceidDigits", "CEID digits", Value(form, "ceidDigits"), ErrorFor("ceidDigits", error, phrases))
            + Html.Field("elements", "address", "IPv4 address", Value(form, "address"), ErrorFor("address", error, phrases))
            + Html.Field("elements", "registrationPort", "Registration port", Value(form, "registrationPort", "6800"), ErrorFor("registrationPort", error, phrases))
            + Html.Field("elements", "comment", "Comment", Value(form, "comment"), ErrorFor("comment", error, phrases))
            + "<button type=\"submit\">Add</button></form>";
        return Html.Page(_element, "Cluster Elements", "/cluster-elements", body);
    }
}
