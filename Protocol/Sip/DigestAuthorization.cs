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
        string ha1 = Md5.HexOf(username + ":" + challenge.Realm + ":" + password);
        if (SipText.EqualsIgnoreCase(challenge.Algorithm, "MD5-sess"))
        {
            ha1 = Md5.HexOf(ha1 + ":" + challenge.Nonce + ":" + cnonce);
        }

        string ha2 = Md5.HexOf(method + ":" + digestUri);
        if (challenge.OffersQopAuth)
        {
            return Md5.HexOf(ha1 + ":" + challenge.Nonce + ":" + NonceCount(nonceCount) + ":" + cnonce + ":auth:" + ha2);
        }

        return Md5.HexOf(ha1 + ":" + challenge.Nonce + ":" + ha2);
    }

    /// <summary>The header value: Digest username=..., realm=..., nonce=..., uri=..., response=..., and the rest as the challenge asked.</summary>
    public static string Header(DigestChallenge challenge, string username, string password, string method, string digestUri, string cnonce, int nonceCount)
    {
        string response = Response(challenge, username, password, method, digestUri, cnonce, nonceCount);
        TextBuilder text = new TextBuilder(256);
        text.Append("Digest username=").Append(SipText.Quote(username))
            .Append(", realm=").Append(SipText.Quote(challenge.Realm))
            .Append(", nonce=").Append(SipText.Quote(challenge.Nonce))
            .Append(", uri=").Append(SipText.Quote(digestUri))
            .Append(", response=").Append(SipText.Quote(response))
            .Append(", algorithm=").Append(challenge.Algorithm);
        if (challenge.Opaque != null)
        {
            text.Append(", opaque=").Append(SipText.Quote(challenge.Opaque));
        }

        if (challenge.OffersQopAuth)
        {
            text.Append(", qop=auth, nc=").Append(NonceCount(nonceCount)).Append(", cnonce=").Append(SipText.Quote(cnonce));
        }

        return text.ToString();
    }

    /// <summary>nc: eight lowercase hex digits.</summary>
    public static string NonceCount(int count)
    {
        byte[] bytes = new byte[] { (byte)(count >> 24), (byte)(count >> 16), (byte)(count >> 8), (byte)count };
        return Ascii.ToHex(bytes, 0, 4);
    }
}
