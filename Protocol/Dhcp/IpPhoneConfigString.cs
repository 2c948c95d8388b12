using System.Collections;
using Protocol.Common;

namespace Protocol.Dhcp;

/// <summary>
/// Parser of the vendor string <c>id:ipphone.mitel.com;sw_tftp=…;call_srv=…;vlan=…</c>: left to
/// right, case-sensitive, tags in any order, a repeated tag overwrites, <c>tag=</c> means "not
/// configured", trailing and repeated <c>;</c> allowed, unknown tags ignored for forward compatibility.
/// </summary>
public static class IpPhoneConfigString
{
    public const string Identifier = "id:ipphone.mitel.com";

    /// <summary>Longest string accepted; option 125 carries at most 250 characters, option 43 at most 255.</summary>
    public const int MaximumLength = 255;

    public const int MaximumCallServers = 4;

    public static IpPhoneConfig Parse(string text)
    {
        if (text.Length > MaximumLength)
        {
            throw new ProtocolParseException("phone configuration string longer than " + MaximumLength.ToString() + " characters");
        }

        if (!StartsWithIdentifier(text))
        {
            throw new ProtocolParseException("phone configuration string does not start with " + Identifier);
        }

        IpPhoneConfig config = new IpPhoneConfig();
        int start = Identifier.Length;
        while (start < text.Length)
        {
            int end = text.IndexOf(';', start);
            if (end < 0)
            {
                end = text.Length;
            }

            if (end > start)
            {
                ApplyPair(config, text.Substring(start, end - start));
            }

            start = end + 1;
        }

        return config;
    }

    /// <summary>
    /// The vendor string for <paramref name="config"/>, the form <see cref="Parse"/> reads: the
    /// identifier, then <c>sw_tftp</c>, <c>call_srv</c>, <c>ipa_srv</c>, <c>vlan</c>, <c>l2p</c>,
    /// <c>dscp</c> and <c>app_proxy</c>, each only when set. What a server puts in option 125/43.
    /// </summary>
    public static string Format(IpPhoneConfig config)
    {
        string text = Identifier;
        if (config.TftpServers.Length > 0)
        {
            text += ";sw_tftp=" + FormatList(config.TftpServers);
        }

        if (config.CallServers.Length > 0)
        {
            text += ";call_srv=" + FormatList(config.CallServers);
        }

        if (config.IpaServer != null)
        {
            text += ";ipa_srv=" + config.IpaServer.ToString();
        }

        text += FormatNumber("vlan", config.Vlan) + FormatNumber("l2p", config.Priority) + FormatNumber("dscp", config.Dscp);
        if (config.AppProxy != null)
        {
            text += ";app_proxy=" + config.AppProxy;
        }

        return text;
    }

    /// <summary>An endpoint for <see cref="Format"/>: <paramref name="host"/> (address or FQDN) and a port, 0 for the protocol's default.</summary>
    public static ServerEndpoint Endpoint(string host, int port)
    {
        return ParseEndpoint(port == 0 ? host : host + ":" + port.ToString());
    }

    /// <summary>Parses <c>host[:port][/path]</c>; the host is an IPv4 address or an FQDN.</summary>
    public static ServerEndpoint ParseEndpoint(string text)
    {
        ServerEndpoint endpoint = new ServerEndpoint();
        string rest = text;
        int slash = rest.IndexOf('/');
        if (slash >= 0)
        {
            endpoint.Path = rest.Substring(slash + 1);
            rest = rest.Substring(0, slash);
        }

        int colon = rest.IndexOf(':');
        if (colon >= 0)
        {
            int port = Ascii.ParseDecimal(rest, colon + 1, rest.Length - colon - 1);
            if (port < 1 || port > 65535)
            {
                throw new ProtocolParseException("bad port in '" + text + "'");
            }

            endpoint.Port = port;
            rest = rest.Substring(0, colon);
        }

        if (!IsHostName(rest))
        {
            throw new ProtocolParseException("bad host in '" + text + "'");
        }

        endpoint.Host = rest;
        uint address;
        endpoint.Address = Ipv4.TryParse(rest, out address) ? address : 0;
        if (endpoint.Address == 0 && IsAllDigitsAndDots(rest))
        {
            throw new ProtocolParseException("bad IPv4 address '" + rest + "'");
        }

        return endpoint;
    }

    private static string FormatList(ServerEndpoint[] endpoints)
    {
        string text = string.Empty;
        for (int i = 0; i < endpoints.Length; i++)
        {
            text += (i == 0 ? string.Empty : ",") + endpoints[i].ToString();
        }

        return text;
    }

    private static string FormatNumber(string tag, int value)
    {
        return value == IpPhoneConfig.Absent ? string.Empty : ";" + tag + "=" + value.ToString();
    }

    public static bool StartsWithIdentifier(string text)
    {
        if (text.Length < Identifier.Length)
        {
            return false;
        }

        if (text.Length > Identifier.Length && text[Identifier.Length] != ';')
        {
            return false;
        }

        return text.Substring(0, Identifier.Length) == Identifier;
    }

    private static void ApplyPair(IpPhoneConfig config, string pair)
    {
        int equals = pair.IndexOf('=');
        if (equals <= 0)
        {
            throw new ProtocolParseException("'" + pair + "' is not tag=value");
        }

        string tag = pair.Substring(0, equals);
        string value = pair.Substring(equals + 1);
        switch (tag)
        {
            case "sw_tftp":
                config.TftpServers = ParseList(value, 0, tag);
                break;
            case "call_srv":
                config.CallServers = ParseList(value, MaximumCallServers, tag);
                break;
            case "ipa_srv":
                config.IpaServer = value.Length == 0 ? null : ParseEndpoint(value);
                break;
            case "vlan":
                config.Vlan = ParseRange(value, 0, 4095, tag);
                break;
            case "l2p":
                config.Priority = ParseRange(value, 0, 7, tag);
                break;
            case "dscp":
                config.Dscp = ParseRange(value, 0, 63, tag);
                break;
            case "app_proxy":
                if (value.Length > 40)
                {
                    throw new ProtocolParseException("app_proxy longer than 40 characters");
                }

                config.AppProxy = value.Length == 0 ? null : value;
                break;
            default:
                break;
        }
    }

    private static ServerEndpoint[] ParseList(string value, int maximum, string tag)
    {
        ArrayList endpoints = new ArrayList();
        int start = 0;
        while (value.Length > 0 && start <= value.Length)
        {
            int end = value.IndexOf(',', start);
            if (end < 0)
            {
                end = value.Length;
            }

            if (end == start)
            {
                throw new ProtocolParseException(tag + " has an empty entry");
            }

            endpoints.Add(ParseEndpoint(value.Substring(start, end - start)));
            start = end + 1;
        }

        if (maximum > 0 && endpoints.Count > maximum)
        {
            throw new ProtocolParseException(tag + " lists " + endpoints.Count.ToString() + " servers; at most " + maximum.ToString() + " allowed");
        }

        ServerEndpoint[] result = new ServerEndpoint[endpoints.Count];
        endpoints.CopyTo(result);
        return result;
    }

    private static int ParseRange(string value, int minimum, int maximum, string tag)
    {
        if (value.Length == 0)
        {
            return IpPhoneConfig.Absent;
        }

        int number = Ascii.ParseDecimal(value, 0, value.Length);
        if (number < minimum || number > maximum)
        {
            throw new ProtocolParseException(tag + "=" + value + " is not a number from " + minimum.ToString() + " to " + maximum.ToString());
        }

        return number;
    }

    private static bool IsHostName(string host)
    {
        if (host.Length == 0 || host.Length > 253)
        {
            return false;
        }

        for (int i = 0; i < host.Length; i++)
        {
            char c = host[i];
            bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || Ascii.IsDigit(c) || c == '-' || c == '.' || c == '_';
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsAllDigitsAndDots(string host)
    {
        for (int i = 0; i < host.Length; i++)
        {
            if (!Ascii.IsDigit(host[i]) && host[i] != '.')
            {
                return false;
            }
        }

        return true;
    }
}
