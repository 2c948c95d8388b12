using System;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Tasks;
using Controller.Forms;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Controller.Admin;

/// <summary>
/// The element's admin REST API: JSON over HTTP (loopback unless configured), every request carrying
/// <c>Authorization: Bearer TOKEN</c>. Bad input is 400 with {"error": "..."} and changes
/// nothing; an unknown entry is 404. `controller admin` is its command-line client. The same
/// server carries the web admin pages (<see cref="Web.AdminSite"/>), signed in with the same token.
/// </summary>
public sealed class AdminApi : IAsyncDisposable
{
    /// <summary>How long requests in flight get to finish when the element stops.</summary>
    public static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(2);

    /// <summary>Request bodies past this are refused with 413 (a form entry is a few hundred bytes).</summary>
    public const long MaximumRequestBody = 64 * 1024;

    private readonly WebApplication _app;
    private readonly AdminRateLimit _guesses = new();

    public AdminApi(ElementAdmin admin, int port, string token)
        : this(admin, IPAddress.Loopback, port, token, null)
    {
    }

    /// <param name="bind">Loopback unless the configuration names another address (admin.bindAddress).</param>
    /// <param name="site">The web administration pages, or null for the REST API alone.</param>
    public AdminApi(ElementAdmin admin, IPAddress bind, int port, string token, Web.AdminSite? site)
    {
        Token = token;
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        // The program owns SIGTERM/SIGINT (Hal.Host.ShutdownSignals); the host's console lifetime would
        // swallow them and stop only this API, leaving the element running (issue 15).
        builder.Services.AddSingleton<Microsoft.Extensions.Hosting.IHostLifetime, ProgramOwnedLifetime>();
        builder.Services.Configure<Microsoft.Extensions.Hosting.HostOptions>(options => options.ShutdownTimeout = ShutdownTimeout);
        builder.WebHost.ConfigureKestrel(options =>
        {
            options.Listen(bind, port);
            options.Limits.MaxRequestBodySize = MaximumRequestBody;
        });
        // Malformed bodies raise BadHttpRequestException so the middleware below can say what was wrong.
        builder.Services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        builder.Services.ConfigureHttpJsonOptions(options => options.SerializerOptions.TypeInfoResolverChain.Insert(0, AdminJsonContext.Default));
        _app = builder.Build();
        _app.Use(async (context, next) =>
        {
            IPAddress source = context.Connection.RemoteIpAddress ?? IPAddress.None;
            if (_guesses.IsBlocked(source, out TimeSpan retryAfter))
            {
                context.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
                await Fail(context, StatusCodes.Status429TooManyRequests, "too many wrong tokens from " + source + "; retry after " + (int)Math.Ceiling(retryAfter.TotalSeconds) + " s").ConfigureAwait(false);
                return;
            }

            if (site != null && !context.Request.Path.StartsWithSegments("/api", StringComparison.Ordinal))
            {
                await site.Guard(context, token, () => next(context), CountWrongToken).ConfigureAwait(false);
                return;
            }

            if (!IsAuthorized(context.Request))
            {
                CountWrongToken(context);
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                await context.Response.WriteAsJsonAsync(new AdminError("missing or wrong bearer token"), AdminJsonContext.Default.AdminError).ConfigureAwait(false);
                return;
            }

            try
            {
                await next(context).ConfigureAwait(false);
            }
            catch (FormException e)
            {
                await Fail(context, StatusCodes.Status400BadRequest, e.Message).ConfigureAwait(false);
            }
            catch (NotFoundException e)
            {
                await Fail(context, StatusCodes.Status404NotFound, e.Message).ConfigureAwait(false);
            }
            catch (BadHttpRequestException e)
            {
                // 413 for a body past MaximumRequestBody, 400 for the rest.
                await Fail(context, e.StatusCode == StatusCodes.Status413PayloadTooLarge ? e.StatusCode : StatusCodes.Status400BadRequest, "bad request: " + e.Message).ConfigureAwait(false);
            }
            catch (System.Text.Json.JsonException e)
            {
                await Fail(context, StatusCodes.Status400BadRequest, "bad JSON: " + e.Message).ConfigureAwait(false);
            }
        });
        MapEndpoints(admin);
        site?.Map(_app, CountWrongToken);
    }

    // One guess more from the request's source, on REST or on the sign-in page; logged with the count.
    private void CountWrongToken(HttpContext context)
    {
        IPAddress source = context.Connection.RemoteIpAddress ?? IPAddress.None;
        int failures = _guesses.Fail(source);
        Console.Error.WriteLine("controller: admin API: missing or wrong token from " + source + " (" + failures + " in the last minute; " + AdminRateLimit.Failures + " block it)");
    }

    public string Token { get; }

    public Uri? Address { get; private set; }

    public static string NewToken()
    {
        return Convert.ToHexString(RandomNumberGenerator.GetBytes(24)).ToLowerInvariant();
    }

    public async Task StartAsync()
    {
        await _app.StartAsync().ConfigureAwait(false);
        foreach (string url in _app.Urls)
        {
            Address = new Uri(url);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    private static Task Fail(HttpContext context, int status, string message)
    {
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(new AdminError(message), AdminJsonContext.Default.AdminError);
    }

    private bool IsAuthorized(HttpRequest request)
    {
        string header = request.Headers.Authorization.ToString();
        byte[] given = Encoding.ASCII.GetBytes(header);
        byte[] expected = Encoding.ASCII.GetBytes("Bearer " + Token);
        return CryptographicOperations.FixedTimeEquals(given, expected);
    }

    private void MapEndpoints(ElementAdmin admin)
    {
        _app.MapGet("/api/registrations", () => admin.LiveRegistrations().ConvertAll(r => new LiveRegistration(r.Mac, r.Dn)));

        _app.MapGet("/api/telephone-directory", () => admin.ListDirectory().ConvertAll(e => new DirectoryEntry(e.Number, e.Name, null)));
        _app.MapPost("/api/telephone-directory", (DirectoryEntry entry) =>
        {
            admin.AddDirectoryNumber(entry.Number ?? string.Empty, entry.Name ?? string.Empty, entry.SecondaryCeidIndex);
            return Results.Created("/api/telephone-directory/" + entry.Number, entry);
        });
        _app.MapPut("/api/telephone-directory/{number}", (string number, DirectoryEntry entry) =>
        {
            admin.RenameDirectoryNumber(number, entry.Name ?? string.Empty);
            return Results.NoContent();
        });
        _app.MapDelete("/api/telephone-directory/{number}", async (string number) => new Changed(await admin.DeleteDirectoryNumber(number).ConfigureAwait(false)));

        _app.MapGet("/api/multiline-ip-sets", () => admin.ListSets().ConvertAll(s => new SetEntry(s.Mac, s.Dn, s.PinMemory)));
        _app.MapPost("/api/multiline-ip-sets", (SetEntry set) =>
        {
            admin.ReserveSet(set.Mac ?? string.Empty, set.Dn ?? string.Empty, set.PinMemory ?? true);
            return Results.Created("/api/multiline-ip-sets/" + set.Mac, set);
        });
        _app.MapDelete("/api/multiline-ip-sets/{mac}", async (string mac) => new Changed(await admin.DeleteSet(mac).ConfigureAwait(false)));
        _app.MapDelete("/api/multiline-ip-sets/by-dn/{dn}", async (string dn) => new Changed(await admin.DeleteSetByDn(dn).ConfigureAwait(false)));
        _app.MapDelete("/api/multiline-ip-sets/by-dn/{dn}/mac", async (string dn) => new Changed(await admin.ClearSetMac(dn).ConfigureAwait(false)));
        _app.MapGet("/api/multiline-ip-sets/remote", () => admin.ListRemoteReservations().ConvertAll(s => new SetEntry(s.Mac, s.Dn, false)));

        _app.MapGet("/api/remote-directory-numbers", () => admin.ListRemote().ConvertAll(r => new RemoteEntry(r.Number, r.CeidIndex, r.SecondaryCeidIndex)));
        _app.MapPost("/api/remote-directory-numbers", (RemoteEntry remote) =>
        {
            admin.AddRemote(remote.Number ?? string.Empty, remote.CeidIndex ?? 0, remote.SecondaryCeidIndex);
            return Results.Created("/api/remote-directory-numbers/" + remote.Number, remote);
        });
        _app.MapDelete("/api/remote-directory-numbers/{number}", (string number) =>
        {
            admin.DeleteRemote(number);
            return Results.NoContent();
        });

        _app.MapGet("/api/cluster-elements", () => admin.ListElements().ConvertAll(e => new ElementEntry(e.CeidIndex, e.CeidDigits, e.IsLocal, e.Address, e.Port, e.Comment)));
        _app.MapPost("/api/cluster-elements", (ElementEntry element) =>
        {
            admin.AddElement(element.CeidIndex ?? 0, element.CeidDigits ?? string.Empty, element.Address ?? string.Empty, element.RegistrationPort ?? 0, element.Comment ?? string.Empty);
            return Results.Created("/api/cluster-elements/" + element.CeidIndex, element);
        });

        _app.MapGet("/api/system-options", () =>
        {
            (string registration, string replacement, string range) = admin.SystemOptions();
            return new SystemOptionsEntry(registration, replacement, range);
        });
        _app.MapPut("/api/system-options", (SystemOptionsEntry options) =>
        {
            admin.SetSystemOptions(options.RegistrationAccessCode, options.ReplacementAccessCode, options.AutomaticDnRange);
            return Results.NoContent();
        });
    }
}
