using System;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Controller.Web;

/// <summary>
/// The pages' authorization: the admin token typed once on the sign-in page becomes an HttpOnly,
/// SameSite=Strict cookie; every page, form post and event stream without it is refused (pages
/// redirect to sign-in, everything else is 401). Posts from another origin are refused too.
/// A wrong token typed on the sign-in page, or a wrong cookie, is reported to <c>wrongToken</c>
/// (the admin API's <see cref="Admin.AdminRateLimit"/>), so guessing here is blocked as on REST.
/// </summary>
public static class WebSignIn
{
    public const string CookieName = "phonefirmware_admin";

    public static bool IsPublic(PathString path)
    {
        return path == "/signin" || path.StartsWithSegments("/static", StringComparison.Ordinal);
    }

    public static async Task Guard(HttpContext context, string token, Func<Task> next, Action<HttpContext> wrongToken)
    {
        HttpRequest request = context.Request;
        if (IsPublic(request.Path))
        {
            await next().ConfigureAwait(false);
            return;
        }

        string? cookie = request.Cookies[CookieName];
        if (!Matches(cookie, token))
        {
            if (cookie != null)
            {
                wrongToken(context); // no cookie is a first visit; a wrong one is a guess
            }

            if (HttpMethods.IsGet(request.Method) && !request.Headers.Accept.ToString().Contains("text/event-stream", StringComparison.Ordinal))
            {
                context.Response.Redirect("/signin?return=" + Uri.EscapeDataString(request.Path + request.QueryString));
                return;
            }

            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            await context.Response.WriteAsync("sign in first (/signin)").ConfigureAwait(false);
            return;
        }

        if (!HttpMethods.IsGet(request.Method) && !IsSameOrigin(request))
        {
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            await context.Response.WriteAsync("refused: a form post from another origin").ConfigureAwait(false);
            return;
        }

        await next().ConfigureAwait(false);
    }

    public static void Map(WebApplication app, string element, string token, Action<HttpContext> wrongToken)
    {
        app.MapGet("/signin", (HttpContext context) => Results.Content(Page(element, context.Request.Query["return"], null), "text/html; charset=utf-8"));
        app.MapPost("/signin", async (HttpContext context) =>
        {
            IFormCollection form = await context.Request.ReadFormAsync().ConfigureAwait(false);
            string returnTo = SafeReturn(form["return"]);
            if (!Matches(form["token"], token))
            {
                wrongToken(context);
                return Results.Content(Page(element, returnTo, "wrong admin token: it is in the element's DATABASE.admin.json, or printed by `controller demo --web`"), "text/html; charset=utf-8", Encoding.UTF8, StatusCodes.Status401Unauthorized);
            }

            context.Response.Cookies.Append(CookieName, token, new CookieOptions { HttpOnly = true, SameSite = SameSiteMode.Strict, Path = "/", IsEssential = true, Secure = context.Request.IsHttps });
            return Results.Redirect(returnTo);
        });
        app.MapPost("/signout", (HttpContext context) =>
        {
            context.Response.Cookies.Delete(CookieName);
            return Results.Redirect("/signin");
        });
    }

    private static string Page(string element, string? returnTo, string? error)
    {
        string body = "<form method=\"post\" action=\"/signin\" class=\"card\">"
            + "<input type=\"hidden\" name=\"return\" value=\"" + Html.E(SafeReturn(returnTo)) + "\">"
            + Html.Field("signin", "token", "Admin token", null, error, "the token of the admin API").Replace("<input ", "<input type=\"password\" autocomplete=\"current-password\" autofocus ", StringComparison.Ordinal)
            + "<button type=\"submit\">Sign in</button></form>";
        return "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            + "<title>Sign in - " + Html.E(element) + "</title><link rel=\"stylesheet\" href=\"/static/site.css\"></head><body>"
            + "<main id=\"main\"><h1>Sign in to " + Html.E(element) + "</h1>" + body + "</main></body></html>";
    }

    private static string SafeReturn(string? returnTo)
    {
        // Only a path on this site: never //host or an absolute URL.
        return returnTo != null && returnTo.StartsWith('/') && !returnTo.StartsWith("//", StringComparison.Ordinal) && !returnTo.Contains('\\', StringComparison.Ordinal) ? returnTo : "/";
    }

    private static bool Matches(string? given, string token)
    {
        return given != null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(token));
    }

    private static bool IsSameOrigin(HttpRequest request)
    {
        string origin = request.Headers.Origin.ToString();
        return origin.Length == 0 || string.Equals(origin, request.Scheme + "://" + request.Host.Value, StringComparison.OrdinalIgnoreCase);
    }
}
