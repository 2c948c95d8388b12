using System;
using System.Collections.Generic;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Protocol.Common;
using Protocol.Sip;

namespace Tests.Simulation;

/// <summary>
/// A small RFC 3261 registrar on a simulated host's UDP 5060, for the SIP phone's scenarios:
/// 401 with a Digest challenge, the response checked (MD5, qop=auth) against its users, 200
/// with the binding's expiry, 403 to a wrong password, Expires: 0 removes the binding; numbers
/// listed in <see cref="RedirectTo"/> get 302 with that registrar's Contact. Duplicated
/// requests are answered again (a stateless registrar), as a real one does.
/// </summary>
public sealed partial class SimSipRegistrar : ISimActor
{
    public const int Port = 5060;
    public const string Realm = "phonefirmware.test";
    private readonly SimDatagramSocket _socket;
    private readonly byte[] _buffer = new byte[SipMessageParser.MaxMessageLength];
    private int _nonces;

    public SimSipRegistrar(SimRunner runner, SimHost host)
    {
        Host = host;
        _socket = host.Bind(Port);
        runner.Add(this);
    }

    public SimHost Host { get; }

    /// <summary>Number → password.</summary>
    public Dictionary<string, string> Users { get; } = new();

    /// <summary>Number → "host:port" of the registrar it is homed on (answered 302).</summary>
    public Dictionary<string, string> RedirectTo { get; } = new();

    /// <summary>Number → its binding's expiry time (ms of simulated time); removed on Expires: 0.</summary>
    public Dictionary<string, long> Bindings { get; } = new();

    public int GrantedSeconds { get; set; } = 60;

    public int Registers { get; private set; }

    public int Authenticated { get; private set; }

    public int Refused { get; private set; }

    public int Removals { get; private set; }

    public long Step(long now)
    {
        int length;
        while ((length = _socket.Receive(_buffer, out uint address, out int port)) >= 0)
        {
            SipMessage request = SipMessageParser.Parse(_buffer, 0, length);
            if (!request.IsRequest || request.Method != "REGISTER")
            {
                continue;
            }

            SipMessage response = Answer(request, now);
            byte[] bytes = response.Encode();
            _socket.Send(bytes, 0, bytes.Length, address, port);
        }

        return Deadline.None;
    }

    private SipMessage Answer(SipMessage request, long now)
    {
        Registers++;
        string number = UserOf(request.Required(SipHeaderNames.To));
        if (RedirectTo.TryGetValue(number, out string? home))
        {
            SipMessage moved = Reply(request, 302, "Moved Temporarily");
            moved.Add(SipHeaderNames.Contact, "<sip:" + home + ">");
            return moved;
        }

        string? authorization = request.Get(SipHeaderNames.Authorization);
        if (authorization == null)
        {
            SipMessage challenge = Reply(request, 401, "Unauthorized");
            challenge.Add(SipHeaderNames.WwwAuthenticate, "Digest realm=\"" + Realm + "\", nonce=\"n" + (++_nonces) + "\", qop=\"auth\", algorithm=MD5");
            return challenge;
        }

        if (!Users.TryGetValue(number, out string? password) || !Verifies(authorization, password))
        {
            Refused++;
            return Reply(request, 403, "Forbidden");
        }

        Authenticated++;
        int expires = int.Parse(request.Get(SipHeaderNames.Expires) ?? GrantedSeconds.ToString());
        SipMessage ok = Reply(request, 200, "OK");
        if (expires == 0)
        {
            Removals++;
            Bindings.Remove(number);
            return ok;
        }

        int granted = Math.Min(expires, GrantedSeconds);
        Bindings[number] = now + (granted * 1000L);
        string contact = request.Required(SipHeaderNames.Contact);
        int semicolon = contact.IndexOf(">;", StringComparison.Ordinal);
        ok.Add(SipHeaderNames.Contact, (semicolon > 0 ? contact.Substring(0, semicolon + 1) : contact) + ";expires=" + granted);
        return ok;
    }

    private static bool Verifies(string authorization, string password)
    {
        Dictionary<string, string> fields = new(StringComparer.OrdinalIgnoreCase);
        foreach (Match m in DigestField().Matches(authorization))
        {
            fields[m.Groups[1].Value] = m.Groups[2].Success ? m.Groups[2].Value : m.Groups[3].Value;
        }

        string ha1 = Md5Hex(fields["username"] + ":" + fields["realm"] + ":" + password);
        string ha2 = Md5Hex("REGISTER:" + fields["uri"]);
        string expected = Md5Hex(ha1 + ":" + fields["nonce"] + ":" + fields["nc"] + ":" + fields["cnonce"] + ":auth:" + ha2);
        return expected == fields["response"];
    }

    private static SipMessage Reply(SipMessage request, int code, string reason)
    {
        SipMessage response = SipMessage.Response(code, reason);
        foreach (string via in request.GetList(SipHeaderNames.Via))
        {
            response.Add(SipHeaderNames.Via, via);
        }

        response.Add(SipHeaderNames.From, request.Required(SipHeaderNames.From));
        response.Add(SipHeaderNames.To, request.Required(SipHeaderNames.To) + ";tag=reg1");
        response.Add(SipHeaderNames.CallId, request.Required(SipHeaderNames.CallId));
        response.Add(SipHeaderNames.CSeq, request.Required(SipHeaderNames.CSeq));
        response.Add(SipHeaderNames.ContentLength, "0");
        return response;
    }

    private static string UserOf(string nameAddr)
    {
        Match m = SipUser().Match(nameAddr);
        return m.Success ? m.Groups[1].Value : string.Empty;
    }

    private static string Md5Hex(string text)
    {
        return Convert.ToHexStringLower(MD5.HashData(Encoding.ASCII.GetBytes(text)));
    }

    [GeneratedRegex("(\\w+)=(?:\"([^\"]*)\"|([^,\\s]+))")]
    private static partial Regex DigestField();

    [GeneratedRegex("sip:([^@>;]+)@")]
    private static partial Regex SipUser();
}
