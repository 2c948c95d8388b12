using Protocol.Common;
using Protocol.Sip;

namespace Tests.Portable.Sip;

/// <summary>The answers a registrar would give, built from the request they answer, for the registration tests.</summary>
public static class SipTestRegistrar
{
    public static SipMessage Parse(SipOutgoing outgoing)
    {
        return SipMessageParser.Parse(outgoing.Bytes, 0, outgoing.Bytes.Length);
    }

    public static SipMessage Answer(SipMessage request, int code, string reason)
    {
        SipMessage response = SipMessage.Response(code, reason);
        response.Add("Via", request.Required("Via"))
            .Add("From", request.Required("From"))
            .Add("To", request.Required("To") + ";tag=srv")
            .Add("Call-ID", request.Required("Call-ID"))
            .Add("CSeq", request.Required("CSeq"));
        return response;
    }

    /// <summary>Answers through the encoder and the parser, as the wire would.</summary>
    public static void Deliver(SipRegistration registration, SipMessage response, long now)
    {
        byte[] bytes = response.Encode();
        registration.OnMessage(SipMessageParser.Parse(bytes, 0, bytes.Length), "10.0.0.1", 5060, now);
    }

    public static string Text(SipOutgoing outgoing)
    {
        return Ascii.GetLenientString(outgoing.Bytes, 0, outgoing.Bytes.Length);
    }
}
