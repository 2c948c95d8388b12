using System;
using System.Collections.Generic;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Protocol.Common;
using Protocol.Sip;

namespace Tests.Simulation.Sip;

/// <summary>
/// A small RFC 3261 registrar on the simulated network, written independently of the phone's
/// code (its digest check uses .NET's MD5): challenges with `qop=auth`, rotates its nonce (an old
/// one earns `stale=true`), refuses a replayed `nc` and a CSeq that does not go up (§10.3 step 7),
/// absorbs retransmissions with the response it sent (a server transaction, §17.2.2) and grants
/// at most <see cref="MaxGrantSeconds"/>. It counts what the invariants check.
/// </summary>
public sealed class SimDigestRegistrar : ISimActor
{
    public const string Realm = "sim.test";
    public const int Port = 5060;
    public const int MaxGrantSeconds = 120;
    public const long NonceLifetimeMs = 150_000;
    private static readonly Regex Branch = new(@"branch=([^;,\s]+)", RegexOptions.CultureInvariant);
    private static readonly Regex DigestParameter = new(@"(\w+)=(?:""([^""]*)""|([^,\s]+))", RegexOptions.CultureInvariant);
    private readonly SimDatagramSocket _socket;
    private readonly Dictionary<string, string> _passwords;
    private readonly Dictionary<string, byte[]> _answered = new();
    private readonly Dictionary<string, int> _lastCSeq = new();
    private readonly Dictionary<string, int> _lastNonceCount = new();
    private readonly byte[] _buffer = new byte[65536];
    private int _nonceNumber;
    private long _nonceSince;
    private string _nonce = string.Empty;
    private string _previousNonce = string.Empty;

    public SimDigestRegistrar(SimHost host, Dictionary<string, string> passwords)
    {
        Host = host;
        _passwords = passwords;
        _socket = host.Bind(Port);
    }

    public SimHost Host { get; }

    /// <summary>Authenticated REGISTERs answered 200 (each a new transaction; retransmissions not counted).</summary>
    public int Accepted { get; private set; }

    public int Challenges { get; private set; }

    public int StaleChallenges { get; private set; }

    /// <summary>Retransmitted requests answered from the transaction's stored response.</summary>
    public int Absorbed { get; private set; }

    /// <summary>Responses that did not match the password: the phone's digest was wrong.</summary>
    public int BadDigests { get; private set; }

    /// <summary>An `nc` not above the last one seen for its nonce: a replay.</summary>
    public int NonceCountReplays { get; private set; }

    /// <summary>A new transaction whose CSeq did not go up for its Call-ID.</summary>
    public int CSeqOutOfOrder { get; private set; }

    /// <summary>A refresh that came after the binding had already expired.</summary>
    public int Lapses { get; private set; }

    /// <summary>user → (Call-ID, expiry time in ms): the location table.</summary>
    public Dictionary<string, (string CallId, long ExpiresAt)> Bindings { get; } = new();

    public List<string> Log { get; } = new();

    public bool IsBound(string user, long now)
    {
        return Bindings.TryGetValue(user, out (string CallId, long ExpiresAt) binding) && binding.ExpiresAt > now;
    }

    public long Step(long now)
    {
        if (_nonce.Length == 0 || now - _nonceSince >= NonceLifetimeMs)
        {
            _previousNonce = _nonce;
            _nonce = "n" + (++_nonceNumber).ToString("x8", CultureInfo.InvariantCulture);
            _nonceSince = now;
        }

        int count;
        while ((count = _socket.Receive(_buffer, out uint address, out int port)) >= 0)
        {
            SipMessage request;
            try
            {
                request = SipMessageParser.Parse(_buffer, 0, count);
            }
            catch (ProtocolParseException e)
            {
                Log.Add(now + " unparsable: " + e.Message);
                continue;
            }

            if (!request.IsRequest || request.Method != "REGISTER")
            {
                continue;
            }

            string branch = Branch.Match(request.Get(SipHeaderNames.Via) ?? string.Empty).Groups[1].Value;
            if (!_answered.TryGetValue(branch, out byte[]? response))
            {
                response = Answer(request, now).Encode();
                _answered[branch] = response;
            }
            else
            {
                Absorbed++;
            }

            _socket.Send(response, 0, response.Length, address, port);
        }

        return _nonceSince + NonceLifetimeMs;
    }

    private SipMessage Answer(SipMessage request, long now)
    {
        string callId = request.Required(SipHeaderNames.CallId);
        int cseq = request.CSeqNumber();
        if (_lastCSeq.TryGetValue(callId, out int last) && cseq <= last)
        {
            CSeqOutOfOrder++;
            return Reply(request, 500, "CSeq Out Of Order");
        }

        _lastCSeq[callId] = cseq;
        string? authorization = request.Get(SipHeaderNames.Authorization);
        if (authorization == null)
        {
            return Challenge(request, false);
        }

        Dictionary<string, string> digest = new(StringComparer.OrdinalIgnoreCase);
        foreach (Match m in DigestParameter.Matches(authorization))
        {
            digest[m.Groups[1].Value] = m.Groups[2].Success ? m.Groups[2].Value : m.Groups[3].Value;
        }

        string nonce = digest.GetValueOrDefault("nonce", string.Empty);
        if (nonce != _nonce)
        {
            return Challenge(request, nonce.Length > 0 && nonce == _previousNonce);
        }

        string user = digest.GetValueOrDefault("username", string.Empty);
        if (!_passwords.TryGetValue(user, out string? password))
        {
            return Reply(request, 404, "Not Found");
        }

        int nc = int.Parse(digest.GetValueOrDefault("nc", "0"), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        if (_lastNonceCount.TryGetValue(nonce, out int lastNc) && nc <= lastNc)
        {
            NonceCountReplays++;
            return Challenge(request, true);
        }

        _lastNonceCount[nonce] = nc;
        string ha1 = Md5Hex(user + ":" + Realm + ":" + password);
        string ha2 = Md5Hex("REGISTER:" + digest.GetValueOrDefault("uri", string.Empty));
        string expected = Md5Hex(ha1 + ":" + nonce + ":" + digest.GetValueOrDefault("nc", string.Empty) + ":" + digest.GetValueOrDefault("cnonce", string.Empty) + ":auth:" + ha2);
        if (expected != digest.GetValueOrDefault("response", string.Empty))
        {
            BadDigests++;
            return Reply(request, 403, "Forbidden");
        }

        string contact = SipNameAddr.Parse(request.Required(SipHeaderNames.Contact)).Uri.ToString();
        int asked = int.Parse(request.Get(SipHeaderNames.Expires) ?? "3600", CultureInfo.InvariantCulture);
        int granted = Math.Min(asked, MaxGrantSeconds);
        if (Bindings.TryGetValue(user, out (string CallId, long ExpiresAt) old) && old.ExpiresAt <= now)
        {
            Lapses++;
            Log.Add(now + " binding of " + user + " had lapsed at " + old.ExpiresAt);
        }

        if (granted == 0)
        {
            Bindings.Remove(user);
        }
        else
        {
            Bindings[user] = (callId, now + (granted * 1000L));
        }

        Accepted++;
        Log.Add(now + " 200 " + user + " cseq " + cseq + " granted " + granted);
        SipMessage ok = Reply(request, 200, "OK");
        if (granted > 0)
        {
            ok.Add(SipHeaderNames.Contact, "<" + contact + ">;expires=" + granted.ToString(CultureInfo.InvariantCulture));
        }

        ok.Add(SipHeaderNames.Expires, granted.ToString(CultureInfo.InvariantCulture));
        return ok;
    }

    private SipMessage Challenge(SipMessage request, bool stale)
    {
        Challenges++;
        StaleChallenges += stale ? 1 : 0;
        SipMessage challenge = Reply(request, 401, "Unauthorized");
        challenge.Add(SipHeaderNames.WwwAuthenticate, "Digest realm=\"" + Realm + "\", nonce=\"" + _nonce + "\", qop=\"auth\", algorithm=MD5" + (stale ? ", stale=true" : string.Empty));
        return challenge;
    }

    private static SipMessage Reply(SipMessage request, int status, string reason)
    {
        SipMessage response = SipMessage.Response(status, reason);
        foreach (string via in request.GetList(SipHeaderNames.Via))
        {
            response.Add(SipHeaderNames.Via, via);
        }

        return response.Add(SipHeaderNames.From, request.Required(SipHeaderNames.From))
            .Add(SipHeaderNames.To, request.Required(SipHeaderNames.To) + ";tag=reg1")
            .Add(SipHeaderNames.CallId, request.Required(SipHeaderNames.CallId))
            .Add(SipHeaderNames.CSeq, request.Required(SipHeaderNames.CSeq));
    }

    private static string Md5Hex(string text)
    {
        return Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(text)));
    }
}
