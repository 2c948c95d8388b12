using System;
using System.IO;
using System.Reflection;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Controller.Web;

/// <summary>
/// The web administration of one element, served by the admin API's own server: server-rendered
/// pages (forms, cluster, registrations, event log, phones) plus one small script and style sheet.
/// Signed in with the admin token (<see cref="WebSignIn"/>).
/// </summary>
public sealed class AdminSite
{
    private readonly ControllerElement _element;

    public AdminSite(ControllerElement element)
    {
        _element = element;
    }

    public Task Guard(HttpContext context, string token, Func<Task> next, Action<HttpContext> wrongToken)
    {
        return WebSignIn.Guard(context, token, next, wrongToken);
    }

    public void Map(WebApplication app, Action<HttpContext> wrongToken)
    {
        // The token is read at sign-in from the running API, so the page and REST share one secret.
        WebSignIn.Map(app, _element.Name, _element.AdminToken!, wrongToken);
        app.MapGet("/static/site.css", () => Results.Text(Asset("site.css"), "text/css; charset=utf-8"));
        app.MapGet("/static/site.js", () => Results.Text(Asset("site.js"), "text/javascript; charset=utf-8"));
        new FormPages(_element.Name, _element.Admin!).Map(app);
        new LivePages(_element, _element.SiteExtras).Map(app);
        new PhonePages(_element.Name, _element.SiteExtras.Phones).Map(app);
    }

    private static string Asset(string name)
    {
        using Stream stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("web/" + name)!;
        using StreamReader reader = new(stream);
        return reader.ReadToEnd();
    }
}
