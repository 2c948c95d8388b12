using Protocol.Common;

namespace Protocol.Sip;

/// <summary>
/// The answer to a Digest challenge (RFC 2617 §3.2.2, RFC 7616 §3.4): the response hash and the
/// Authorization / Proxy-Authorization value that carries it. With qop=auth the nonce count and
/// the client nonce enter the hash; without qop it is RFC 2069's H(HA1:nonce:HA2).
/// </summary>
public static class DigestAuthorization
{
    public static string Response(DigestChallenge challenge, string username, string password, string method, string digestUri, string cnonce, int nonceCount)
    {
        return Response(challenge, Secret(username, challenge.Realm, password), method, digestUri, cnonce, NonceCount(nonceCount));
    }

    /// <summary>The header value: Digest username=..., realm=..., nonce=..., uri=..., response=..., and the rest as the challenge asked.</summary>
    public static string Header(DigestChallenge challenge, string username, string password, string method, string digestUri, string cnonce, int nonceCount)
    {
        return HeaderWithSecret(challenge, username, Secret(username, challenge.Realm, password), method, digestUri, cnonce, nonceCount);
    }

    /// <summary>
    /// H(username:realm:password), the HA1 of plain MD5 (and what MD5-sess hashes again with the
    /// nonces): the same for every request that answers a challenge of this realm, so a line
    /// computes it once per challenge, not once per refresh.
    /// </summary>
    public static string Secret(string username, string realm, string password)
    {
        return Md5.HexOf(username + ":" + realm + ":" + password);
    }

    /// <summary><see cref="Header"/> from the <see cref="Secret"/> of the username, the challenge's realm and the password.</summary>
    public static string HeaderWithSecret(DigestChallenge challenge, string username, string secret, string method, string digestUri, string cnonce, int nonceCount)
    {
        string nc = NonceCount(nonceCount);
        string response = Response(challenge, secret, method, digestUri, cnonce, nc);
        TextBuilder text = new TextBuilder(256 + challenge.Nonce.Length + (challenge.Opaque == null ? 0 : challenge.Opaque.Length));
        text.Append("Digest username=");
        SipText.AppendQuoted(text, username).Append(", realm=");
        SipText.AppendQuoted(text, challenge.Realm).Append(", nonce=");
        SipText.AppendQuoted(text, challenge.Nonce).Append(", uri=");
        SipText.AppendQuoted(text, digestUri).Append(", response=");
        SipText.AppendQuoted(text, response).Append(", algorithm=").Append(challenge.Algorithm);
        if (challenge.Opaque != null)
        {
            text.Append(", opaque=");
            SipText.AppendQuoted(text, challenge.Opaque);
        }

        if (challenge.OffersQopAuth)
        {
            text.Append(", qop=auth, nc=").Append(nc).Append(", cnonce=");
            SipText.AppendQuoted(text, cnonce);
        }

        return text.ToString();
    }

    private static string Response(DigestChallenge challenge, string secret, string method, string digestUri, string cnonce, string nc)
    {
        string ha1 = secret;
        if (SipText.EqualsIgnoreCase(challenge.Algorithm, "MD5-sess"))
        {
            ha1 = Md5.HexOf(ha1 + ":" + challenge.Nonce + ":" + cnonce);
        }

        string ha2 = Md5.HexOf(method + ":" + digestUri);
        if (challenge.OffersQopAuth)
        {
            return Md5.HexOf(ha1 + ":" + challenge.Nonce + ":" + nc + ":" + cnonce + ":auth:" + ha2);
        }

        return Md5.HexOf(ha1 + ":" + challenge.Nonce + ":" + ha2);
    }

    /// <summary>nc: eight lowercase hex digits.</summary>
    public static string NonceCount(int count)
    {
        byte[] bytes = new byte[] { (byte)(count >> 24), (byte)(count >> 16), (byte)(count >> 8), (byte)count };
        return Ascii.ToHex(bytes, 0, 4);
    }
}
