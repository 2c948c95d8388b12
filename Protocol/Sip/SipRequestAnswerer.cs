namespace Protocol.Sip;

/// <summary>
/// Answers requests that reach a registered line (RFC 3261 §8.2.6): OPTIONS (the registrar's
/// or a proxy's keep-alive, §11.2) with 200 and what the line allows; anything else but ACK
/// with 405 and the Allow header.
/// </summary>
public static class SipRequestAnswerer
{
    /// <summary>The response to send back, or null for ACK (never answered) or a request missing a header a response must copy.</summary>
    public static SipMessage? Answer(SipMessage request, string toTag)
    {
        if (request.Method == "ACK")
        {
            return null;
        }

        string? to = request.Get(SipHeaderNames.To);
        string? from = request.Get(SipHeaderNames.From);
        string? callId = request.Get(SipHeaderNames.CallId);
        string? cseq = request.Get(SipHeaderNames.CSeq);
        if (to == null || from == null || callId == null || cseq == null || request.Count(SipHeaderNames.Via) == 0)
        {
            return null;
        }

        SipMessage response = request.Method == "OPTIONS" ? SipMessage.Response(200, "OK") : SipMessage.Response(405, "Method Not Allowed");
        for (int i = 0; i < request.HeaderCount; i++)
        {
            SipHeader header = request.HeaderAt(i);
            if (header.Name == SipHeaderNames.Via)
            {
                response.Add(SipHeaderNames.Via, header.Value);
            }
        }

        response.Add(SipHeaderNames.From, from)
            .Add(SipHeaderNames.To, to.IndexOf(";tag=") >= 0 ? to : to + ";tag=" + toTag)
            .Add(SipHeaderNames.CallId, callId)
            .Add(SipHeaderNames.CSeq, cseq)
            .Add(SipHeaderNames.Allow, SipRegisterRequest.Allow)
            .Add("Accept", "application/sdp");
        return response;
    }
}
