using Protocol.Common;

namespace Protocol.Sip;

/// <summary>
/// The expiry a 2xx to REGISTER grants this line (RFC 3261 §10.2.4): the expires parameter of
/// the Contact that is ours (the registrar lists every binding of the AoR), else the Expires
/// header, else what was asked.
/// </summary>
public static class SipGrantedExpiry
{
    public static int Of(SipMessage response, SipRegistrationConfig config, int asked)
    {
        string[] contacts = response.GetList(SipHeaderNames.Contact);
        for (int i = 0; i < contacts.Length; i++)
        {
            try
            {
                SipNameAddr contact = SipNameAddr.Parse(contacts[i]);
                SipUri uri = contact.Uri;
                string? expires = contact.Parameters.Get("expires");
                if (expires != null && uri.Port == config.LocalPort && uri.User == config.User && SipText.EqualsIgnoreCase(uri.Host, config.LocalHost))
                {
                    return SipText.ParseNumber(expires, "Contact expires");
                }
            }
            catch (ProtocolParseException)
            {
                // Another binding we cannot read is not ours; keep looking.
            }
        }

        string? header = response.Get(SipHeaderNames.Expires);
        if (header != null)
        {
            int value = Ascii.ParseDecimal(SipText.Trim(header), 0, SipText.Trim(header).Length);
            if (value >= 0)
            {
                return value;
            }
        }

        return asked;
    }
}
