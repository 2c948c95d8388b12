using System;
using System.Collections.Generic;
using System.IO;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Serialization.Metadata;
using System.Threading.Tasks;
using Controller.Configuration;

namespace Controller.Admin;

/// <summary>`controller admin --config FILE FORM VERB ...`: the admin API's command-line client.</summary>
public static class AdminCommand
{
    public const string Usage = """
        controller admin --config FILE COMMAND     talk to the running element of FILE
          registrations                            the sets registered now (MAC, DN)
          directory list                           Telephone Directory
          directory add NUMBER NAME [--secondary CEID]
          directory rename NUMBER NAME             change a DN's name
          directory delete NUMBER                  (a set on it is reset and prompts)
          sets list                                Multiline IP Sets
          sets reserve MAC DN [--no-pin-memory]    program a set by MAC (IP consoles, paging units: --no-pin-memory);
                                                   a DN of another element: this element redirects the MAC there
          sets delete MAC                          (the set is reset and prompts)
          sets delete --dn DN                      the set of DN (the DN stays; the set is reset and prompts)
          sets clear-mac DN                        keep DN's row, clear its MAC (the set is reset and prompts)
          remote list                              Remote Directory Numbers
          remote add NUMBER CEID [--secondary CEID]
          remote delete NUMBER
          elements list                            Cluster Elements + ICP/PBX Networking
          elements add CEID DIGITS ADDRESS PORT [COMMENT]
          options show                             System Options
          options set [--registration CODE] [--replacement CODE] [--automatic-dn FIRST-LAST]
        """;

    public static async Task<int> Run(string[] args, TextWriter output, TextWriter error)
    {
        List<string> words = new();
        string? configPath = null;
        Dictionary<string, string?> flags = new();
        for (int i = 1; i < args.Length; i++)
        {
            string arg = args[i];
            if (arg == "--config" || arg == "--secondary" || arg == "--dn" || arg == "--registration" || arg == "--replacement" || arg == "--automatic-dn")
            {
                if (i + 1 >= args.Length)
                {
                    error.WriteLine("controller admin: " + arg + " needs a value");
                    return 2;
                }

                if (arg == "--config")
                {
                    configPath = args[++i];
                }
                else
                {
                    flags[arg] = args[++i];
                }
            }
            else if (arg == "--no-pin-memory")
            {
                flags[arg] = null;
            }
            else if (arg.StartsWith("--", StringComparison.Ordinal))
            {
                error.WriteLine("controller admin: unknown option '" + arg + "'\n" + Usage);
                return 2;
            }
            else
            {
                words.Add(arg);
            }
        }

        if (configPath == null || words.Count == 0)
        {
            error.Write(Usage);
            return 2;
        }

        ControllerConfig config = ConfigLoader.Load(configPath);
        (Uri address, string token) = AdminEndpoint.Read(config.Database + ".admin.json");
        using HttpClient http = new() { BaseAddress = address, Timeout = TimeSpan.FromSeconds(10) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        try
        {
            return await Dispatch(http, words, flags, output, error).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            error.WriteLine("controller admin: cannot reach the element at " + address + ": " + e.Message);
            return 1;
        }
    }

    private static async Task<int> Dispatch(HttpClient http, List<string> w, Dictionary<string, string?> flags, TextWriter output, TextWriter error)
    {
        AdminJsonContext json = AdminJsonContext.Default;
        string command = string.Join(' ', w.GetRange(0, Math.Min(2, w.Count)));
        switch (command)
        {
            case "registrations":
                return await List(http, "/api/registrations", json.ListLiveRegistration, r => r.Mac + "  " + r.Dn, output, error).ConfigureAwait(false);
            case "directory list":
                return await List(http, "/api/telephone-directory", json.ListDirectoryEntry, e => e.Number + "  " + e.Name, output, error).ConfigureAwait(false);
            case "directory add" when w.Count == 4:
                return await Send(http.PostAsJsonAsync("/api/telephone-directory", new DirectoryEntry(w[2], w[3], OptionalInt(flags, "--secondary")), json.DirectoryEntry), output, error).ConfigureAwait(false);
            case "directory rename" when w.Count == 4:
                return await Send(http.PutAsJsonAsync("/api/telephone-directory/" + Uri.EscapeDataString(w[2]), new DirectoryEntry(w[2], w[3], null), json.DirectoryEntry), output, error).ConfigureAwait(false);
            case "directory delete" when w.Count == 3:
                return await Send(http.DeleteAsync("/api/telephone-directory/" + Uri.EscapeDataString(w[2])), output, error).ConfigureAwait(false);
            case "sets list":
                int listed = await List(http, "/api/multiline-ip-sets", json.ListSetEntry, s => s.Dn + "  " + (s.Mac ?? "-") + (s.PinMemory == false ? "  no-pin-memory" : string.Empty), output, error).ConfigureAwait(false);
                return listed != 0 ? listed : await List(http, "/api/multiline-ip-sets/remote", json.ListSetEntry, s => s.Dn + "  " + s.Mac + "  remote (redirected to the DN's element)", output, error).ConfigureAwait(false);
            case "sets reserve" when w.Count == 4:
                return await Send(http.PostAsJsonAsync("/api/multiline-ip-sets", new SetEntry(w[2], w[3], !flags.ContainsKey("--no-pin-memory")), json.SetEntry), output, error).ConfigureAwait(false);
            case "sets delete" when w.Count == 2 && flags.TryGetValue("--dn", out string? dn):
                return await Send(http.DeleteAsync("/api/multiline-ip-sets/by-dn/" + Uri.EscapeDataString(dn!)), output, error).ConfigureAwait(false);
            case "sets delete" when w.Count == 3 && !flags.ContainsKey("--dn"):
                return await Send(http.DeleteAsync("/api/multiline-ip-sets/" + Uri.EscapeDataString(w[2])), output, error).ConfigureAwait(false);
            case "sets clear-mac" when w.Count == 3:
                return await Send(http.DeleteAsync("/api/multiline-ip-sets/by-dn/" + Uri.EscapeDataString(w[2]) + "/mac"), output, error).ConfigureAwait(false);
            case "remote list":
                return await List(http, "/api/remote-directory-numbers", json.ListRemoteEntry, r => r.Number + "  " + r.CeidIndex + (r.SecondaryCeidIndex.HasValue ? "  secondary " + r.SecondaryCeidIndex : string.Empty), output, error).ConfigureAwait(false);
            case "remote add" when w.Count == 4:
                return await Send(http.PostAsJsonAsync("/api/remote-directory-numbers", new RemoteEntry(w[2], ParseInt(w[3]), OptionalInt(flags, "--secondary")), json.RemoteEntry), output, error).ConfigureAwait(false);
            case "remote delete" when w.Count == 3:
                return await Send(http.DeleteAsync("/api/remote-directory-numbers/" + Uri.EscapeDataString(w[2])), output, error).ConfigureAwait(false);
            case "elements list":
                return await List(http, "/api/cluster-elements", json.ListElementEntry, e => e.CeidIndex + "  " + e.CeidDigits + "  " + e.Address + ":" + e.RegistrationPort + (e.IsLocal == true ? "  local" : string.Empty) + "  " + e.Comment, output, error).ConfigureAwait(false);
            case "elements add" when w.Count == 6 || w.Count == 7:
                return await Send(http.PostAsJsonAsync("/api/cluster-elements", new ElementEntry(ParseInt(w[2]), w[3], false, w[4], ParseInt(w[5]), w.Count == 7 ? w[6] : string.Empty), json.ElementEntry), output, error).ConfigureAwait(false);
            case "options show":
                SystemOptionsEntry? options = await http.GetFromJsonAsync("/api/system-options", json.SystemOptionsEntry).ConfigureAwait(false);
                output.WriteLine("registration access code: " + options!.RegistrationAccessCode);
                output.WriteLine("replacement access code:  " + options.ReplacementAccessCode);
                output.WriteLine("automatic DN range:       " + (string.IsNullOrEmpty(options.AutomaticDnRange) ? "off" : options.AutomaticDnRange));
                return 0;
            case "options set":
                flags.TryGetValue("--registration", out string? registration);
                flags.TryGetValue("--replacement", out string? replacement);
                flags.TryGetValue("--automatic-dn", out string? range);
                return await Send(http.PutAsJsonAsync("/api/system-options", new SystemOptionsEntry(registration, replacement, range), json.SystemOptionsEntry), output, error).ConfigureAwait(false);
            default:
                error.WriteLine("controller admin: unknown or incomplete command '" + string.Join(' ', w) + "'\n" + Usage);
                return 2;
        }
    }

    private static async Task<int> List<T>(HttpClient http, string path, JsonTypeInfo<List<T>> type, Func<T, string> line, TextWriter output, TextWriter error)
    {
        HttpResponseMessage response = await http.GetAsync(path).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            return await Report(response, error).ConfigureAwait(false);
        }

        List<T>? items = await response.Content.ReadFromJsonAsync(type).ConfigureAwait(false);
        foreach (T item in items ?? new List<T>())
        {
            output.WriteLine(line(item));
        }

        return 0;
    }

    private static async Task<int> Send(Task<HttpResponseMessage> request, TextWriter output, TextWriter error)
    {
        HttpResponseMessage response = await request.ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            return await Report(response, error).ConfigureAwait(false);
        }

        string body = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
        output.WriteLine(body.Length > 0 ? "ok " + body : "ok");
        return 0;
    }

    private static async Task<int> Report(HttpResponseMessage response, TextWriter error)
    {
        string message = (int)response.StatusCode + " " + response.ReasonPhrase;
        try
        {
            AdminError? body = await response.Content.ReadFromJsonAsync(AdminJsonContext.Default.AdminError).ConfigureAwait(false);
            message = body?.Error ?? message;
        }
        catch (System.Text.Json.JsonException)
        {
            // Not our JSON: the status line says enough.
        }

        error.WriteLine("controller admin: " + message);
        return 1;
    }

    private static int? OptionalInt(Dictionary<string, string?> flags, string name)
    {
        return flags.TryGetValue(name, out string? value) && value != null ? ParseInt(value) : null;
    }

    private static int ParseInt(string text)
    {
        if (!int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int value))
        {
            throw new ConfigException("'" + text + "' is not a number");
        }

        return value;
    }
}
