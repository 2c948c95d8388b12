using Protocol.Common;
using Protocol.Sip;
using Tests.Portable.Support;

namespace Tests.Portable.Sip;

[TestClass]
public class SipRegistrationTests
{
    private const string Challenge = "Digest realm=\"example.com\", nonce=\"n1\", qop=\"auth\", opaque=\"op\"";

    private static SipRegistrationConfig Config(int servers)
    {
        SipServerAddress[] list = new SipServerAddress[servers];
        for (int i = 0; i < servers; i++)
        {
            list[i] = new SipServerAddress("10.0.0." + (i + 1).ToString(), 5060);
        }

        SipRegistrationConfig config = new SipRegistrationConfig(list, "example.com", "1001", "10.0.0.5", 5062);
        config.Password = "1234";
        config.ExpiresSeconds = 3600;
        return config;
    }

    private static SipRegistration Started(SipRegistrationConfig config)
    {
        SipRegistration registration = new SipRegistration(config, new SeededRandom(7));
        registration.Start(0);
        return registration;
    }

    private static SipOutgoing Sent(SipRegistration registration, long now)
    {
        SipOutgoing? outgoing = registration.Poll(now);
        Assert.IsNotNull(outgoing, "expected a message at " + now.ToString());
        return outgoing!;
    }

    private static SipRegistrationEvent Event(SipRegistration registration, SipRegistrationEventKind kind)
    {
        SipRegistrationEvent? e = registration.PollEvent();
        while (e != null && e.Kind != kind)
        {
            e = registration.PollEvent();
        }

        Assert.IsNotNull(e, "no " + kind.ToString() + " event");
        return e!;
    }

    /// <summary>The value of one auth-param in an Authorization header.</summary>
    private static string Param(string header, string name)
    {
        int at = header.IndexOf(" " + name + "=");
        Assert.IsTrue(at >= 0, name + " missing in " + header);
        int start = at + name.Length + 2;
        int end = header.IndexOf(',', start);
        string value = end < 0 ? header.Substring(start) : header.Substring(start, end - start);
        return SipText.Unquote(value);
    }

    private static SipMessage Challenged(SipMessage request, string challenge)
    {
        return SipTestRegistrar.Answer(request, 401, "Unauthorized").Add("WWW-Authenticate", challenge);
    }

    private static SipMessage Ok(SipMessage request, int contactExpires)
    {
        return SipTestRegistrar.Answer(request, 200, "OK")
            .Add("Contact", "<sip:1001@10.0.0.99:5062>;expires=3000, <sip:1001@10.0.0.5:5062>;expires=" + contactExpires.ToString())
            .Add("Expires", "999");
    }

    /// <summary>REGISTER, 401, the authenticated REGISTER, 200 granting <paramref name="granted"/> s; returns the authenticated request.</summary>
    private static SipMessage Register(SipRegistration registration, long now, int granted)
    {
        SipMessage first = SipTestRegistrar.Parse(Sent(registration, now));
        SipTestRegistrar.Deliver(registration, Challenged(first, Challenge), now);
        SipMessage second = SipTestRegistrar.Parse(Sent(registration, now));
        SipTestRegistrar.Deliver(registration, Ok(second, granted), now);
        return second;
    }

    [TestMethod]
    public void TheFirstRegisterCarriesTheAddressOfRecordContactAndExpiry()
    {
        SipRegistration registration = Started(Config(1));
        SipOutgoing outgoing = Sent(registration, 0);
        Assert.AreEqual("10.0.0.1", outgoing.Host);
        Assert.AreEqual(5060, outgoing.Port);
        SipMessage request = SipTestRegistrar.Parse(outgoing);
        Assert.AreEqual("REGISTER", request.Method);
        Assert.AreEqual("sip:example.com", request.RequestUri);
        Assert.AreEqual("<sip:1001@example.com>", request.Get("To"));
        Assert.IsTrue(request.Required("From").IndexOf("<sip:1001@example.com>;tag=") == 0);
        Assert.AreEqual("<sip:1001@10.0.0.5:5062>;expires=3600", request.Get("Contact"));
        Assert.AreEqual("3600", request.Get("Expires"));
        Assert.AreEqual("1 REGISTER", request.Get("CSeq"));
        Assert.IsTrue(SipVia.Parse(request.Required("Via")).Branch!.IndexOf(SipVia.BranchCookie) == 0);
        Assert.IsNull(request.Get("Authorization"));
    }

    [TestMethod]
    public void AChallengeIsAnsweredWithDigestAndTheGrantedExpiryComesFromOurContact()
    {
        SipRegistration registration = Started(Config(1));
        SipMessage authenticated = Register(registration, 0, 120);
        string authorization = authenticated.Required("Authorization");
        DigestChallenge challenge = DigestChallenge.Parse(Challenge);
        string expected = DigestAuthorization.Response(challenge, "1001", "1234", "REGISTER", "sip:example.com", Param(authorization, "cnonce"), 1);
        Assert.AreEqual(expected, Param(authorization, "response"));
        Assert.AreEqual("op", Param(authorization, "opaque"));
        Assert.AreEqual("00000001", Param(authorization, "nc"));
        Assert.AreEqual("2 REGISTER", authenticated.Get("CSeq"));
        Assert.AreEqual(SipRegistrationState.Registered, registration.State);
        Assert.AreEqual(120, registration.GrantedSeconds);
        Assert.AreEqual(120, Event(registration, SipRegistrationEventKind.Registered).Seconds);
    }

    [TestMethod]
    public void WithoutOurContactTheExpiresHeaderIsTheGrant()
    {
        SipRegistration registration = Started(Config(1));
        SipMessage request = SipTestRegistrar.Parse(Sent(registration, 0));
        SipTestRegistrar.Deliver(registration, SipTestRegistrar.Answer(request, 200, "OK").Add("Expires", "300"), 0);
        Assert.AreEqual(300, registration.GrantedSeconds);
    }

    [TestMethod]
    public void TheRefreshGoesOutOneTransactionTimeoutAheadWithTheCachedNonce()
    {
        SipRegistration registration = Started(Config(1));
        SipMessage first = Register(registration, 0, 120);
        Assert.AreEqual(88000, registration.NextDeadline, "120 s less timer F's 32 s");
        Assert.IsNull(registration.Poll(87999));
        SipMessage refresh = SipTestRegistrar.Parse(Sent(registration, 88000));
        Assert.AreEqual(SipRegistrationState.Refreshing, registration.State);
        Assert.AreEqual(first.Get("Call-ID"), refresh.Get("Call-ID"));
        Assert.AreEqual("3 REGISTER", refresh.Get("CSeq"));
        Assert.AreEqual("00000002", Param(refresh.Required("Authorization"), "nc"));
        SipTestRegistrar.Deliver(registration, Ok(refresh, 10), 88100);
        Assert.AreEqual(10, Event(registration, SipRegistrationEventKind.Refreshed).Seconds);
        Assert.AreEqual(88100 + 5000, registration.NextDeadline, "a short expiry is refreshed at half");
    }

    [TestMethod]
    public void AStaleChallengeOnARefreshIsAnsweredAndARepeatedPlainChallengeRefusesTheCredentials()
    {
        SipRegistration registration = Started(Config(1));
        Register(registration, 0, 120);
        while (registration.PollEvent() != null)
        {
        }

        SipMessage refresh = SipTestRegistrar.Parse(Sent(registration, 88000));
        SipTestRegistrar.Deliver(registration, Challenged(refresh, "Digest realm=\"example.com\", nonce=\"n2\", qop=\"auth\", stale=true"), 88000);
        Assert.AreEqual(1, Event(registration, SipRegistrationEventKind.Challenged).Seconds);
        SipMessage again = SipTestRegistrar.Parse(Sent(registration, 88000));
        Assert.AreEqual("n2", Param(again.Required("Authorization"), "nonce"));
        SipTestRegistrar.Deliver(registration, Challenged(again, "Digest realm=\"example.com\", nonce=\"n3\", qop=\"auth\", stale=true"), 88000);
        SipMessage third = SipTestRegistrar.Parse(Sent(registration, 88000));
        Assert.AreEqual("n3", Param(third.Required("Authorization"), "nonce"));
        SipTestRegistrar.Deliver(registration, Challenged(third, "Digest realm=\"example.com\", nonce=\"n4\", qop=\"auth\""), 88000);
        Assert.AreEqual(SipRegistrationState.CredentialsRefused, registration.State);
        Assert.AreEqual(401, Event(registration, SipRegistrationEventKind.CredentialsRefused).StatusCode);
        Assert.AreEqual(Deadline.None, registration.NextDeadline);
    }

    [TestMethod]
    public void A407IsAnsweredWithProxyAuthorization()
    {
        SipRegistration registration = Started(Config(1));
        SipMessage first = SipTestRegistrar.Parse(Sent(registration, 0));
        SipTestRegistrar.Deliver(registration, SipTestRegistrar.Answer(first, 407, "Proxy Authentication Required").Add("Proxy-Authenticate", Challenge), 0);
        SipMessage second = SipTestRegistrar.Parse(Sent(registration, 0));
        Assert.IsNotNull(second.Get("Proxy-Authorization"));
        Assert.IsNull(second.Get("Authorization"));
    }

    [TestMethod]
    public void ForbiddenAfterCredentialsRefusesThemButBeforeCredentialsIsAServerFailure()
    {
        SipRegistration refused = Started(Config(1));
        SipMessage first = SipTestRegistrar.Parse(Sent(refused, 0));
        SipTestRegistrar.Deliver(refused, Challenged(first, Challenge), 0);
        SipMessage second = SipTestRegistrar.Parse(Sent(refused, 0));
        SipTestRegistrar.Deliver(refused, SipTestRegistrar.Answer(second, 403, "Forbidden"), 0);
        Assert.AreEqual(SipRegistrationState.CredentialsRefused, refused.State);

        SipRegistration failed = Started(Config(2));
        SipMessage plain = SipTestRegistrar.Parse(Sent(failed, 0));
        SipTestRegistrar.Deliver(failed, SipTestRegistrar.Answer(plain, 404, "Not Found"), 0);
        Assert.AreEqual(404, Event(failed, SipRegistrationEventKind.ServerFailed).StatusCode);
        Assert.AreEqual("10.0.0.2", Sent(failed, 0).Host);
    }

    [TestMethod]
    public void IntervalTooBriefRetriesWithMinExpires()
    {
        SipRegistrationConfig config = Config(1);
        config.ExpiresSeconds = 30;
        SipRegistration registration = Started(config);
        SipMessage first = SipTestRegistrar.Parse(Sent(registration, 0));
        SipTestRegistrar.Deliver(registration, SipTestRegistrar.Answer(first, 423, "Interval Too Brief").Add("Min-Expires", "600"), 0);
        Assert.AreEqual(600, Event(registration, SipRegistrationEventKind.IntervalTooBrief).Seconds);
        SipMessage second = SipTestRegistrar.Parse(Sent(registration, 0));
        Assert.AreEqual("600", second.Get("Expires"));
        Assert.AreEqual("<sip:1001@10.0.0.5:5062>;expires=600", second.Get("Contact"));
    }

    [TestMethod]
    public void ARedirectIsFollowedAndALoopEndsAtTheHopLimit()
    {
        SipRegistration registration = Started(Config(2));
        SipMessage first = SipTestRegistrar.Parse(Sent(registration, 0));
        SipTestRegistrar.Deliver(registration, SipTestRegistrar.Answer(first, 302, "Moved Temporarily").Add("Contact", "<sip:10.0.0.9:5070>"), 0);
        Assert.AreEqual("10.0.0.9:5070", Event(registration, SipRegistrationEventKind.Redirected).Text);
        SipOutgoing moved = Sent(registration, 0);
        Assert.AreEqual("10.0.0.9", moved.Host);
        Assert.AreEqual(5070, moved.Port);
        SipMessage redirected = SipTestRegistrar.Parse(moved);
        Assert.AreEqual("sip:10.0.0.9:5070", redirected.RequestUri);
        Assert.AreEqual("<sip:1001@example.com>", redirected.Get("To"));

        SipMessage current = redirected;
        for (int hop = 2; hop <= 4; hop++)
        {
            SipTestRegistrar.Deliver(registration, SipTestRegistrar.Answer(current, 302, "Moved Temporarily").Add("Contact", "<sip:10.0.0." + (10 + hop).ToString() + ">"), 0);
            current = SipTestRegistrar.Parse(Sent(registration, 0));
        }

        Assert.AreEqual(3, Event(registration, SipRegistrationEventKind.RedirectLoop).Seconds);
        Assert.AreEqual("sip:example.com", current.RequestUri, "after the loop the next configured server is asked");
        Assert.AreEqual(SipRegistrationState.Registering, registration.State);
    }

    [TestMethod]
    public void AServerErrorMovesToTheNextServerAndARoundOfFailuresBacksOff()
    {
        SipRegistrationConfig config = Config(2);
        config.BackoffBaseMs = 30000;
        SipRegistration registration = Started(config);
        SipMessage first = SipTestRegistrar.Parse(Sent(registration, 0));
        SipTestRegistrar.Deliver(registration, SipTestRegistrar.Answer(first, 500, "Server Internal Error"), 0);
        SipOutgoing next = Sent(registration, 0);
        Assert.AreEqual("10.0.0.2", next.Host);
        SipTestRegistrar.Deliver(registration, SipTestRegistrar.Answer(SipTestRegistrar.Parse(next), 500, "Server Internal Error"), 0);
        Assert.AreEqual(SipRegistrationState.BackingOff, registration.State);
        long wait = registration.NextDeadline;
        Assert.IsTrue(wait >= 15000 && wait <= 30000, "RFC 5626 back-off in [base/2, base]: " + wait.ToString());
        Assert.IsNull(registration.Poll(wait - 1));
        Assert.AreEqual("10.0.0.1", Sent(registration, wait).Host);
    }

    [TestMethod]
    public void BackingOffCarriesTheExactWaitBesideTheRoundedSeconds()
    {
        SipRegistrationConfig config = Config(1);
        config.BackoffBaseMs = 30000;
        SipRegistration registration = Started(config);
        SipMessage first = SipTestRegistrar.Parse(Sent(registration, 0));
        SipTestRegistrar.Deliver(registration, SipTestRegistrar.Answer(first, 500, "Server Internal Error"), 100);
        SipRegistrationEvent backingOff = Event(registration, SipRegistrationEventKind.BackingOff);
        Assert.AreEqual(registration.NextDeadline - 100, backingOff.Milliseconds);
        Assert.AreEqual((int)((backingOff.Milliseconds + 999) / 1000), backingOff.Seconds);
    }

    [TestMethod]
    public void RetryAfterSetsTheWaitWhenNoOtherServerIsLeft()
    {
        SipRegistration registration = Started(Config(1));
        SipMessage first = SipTestRegistrar.Parse(Sent(registration, 0));
        SipTestRegistrar.Deliver(registration, SipTestRegistrar.Answer(first, 503, "Service Unavailable").Add("Retry-After", "7 (maintenance);duration=60"), 100);
        Assert.AreEqual(7, Event(registration, SipRegistrationEventKind.BackingOff).Seconds);
        Assert.AreEqual(7100, registration.NextDeadline);
        SipMessage retry = SipTestRegistrar.Parse(Sent(registration, 7100));
        SipTestRegistrar.Deliver(registration, Ok(retry, 60), 7200);
        Assert.AreEqual(SipRegistrationState.Registered, registration.State);
    }

    [TestMethod]
    public void NoAnswerRetransmitsOverUdpThenTimesOutToTheNextServer()
    {
        SipRegistration registration = Started(Config(2));
        long now = 0;
        int sent = 0;
        while (now < 32000)
        {
            SipOutgoing? outgoing = registration.Poll(now);
            if (outgoing != null)
            {
                Assert.AreEqual("10.0.0.1", outgoing.Host);
                sent++;
                continue;
            }

            now = registration.NextDeadline;
        }

        Assert.AreEqual(11, sent);
        Assert.AreEqual(10, registration.Retransmissions);
        Assert.AreEqual("10.0.0.2", Sent(registration, 32000).Host);
        Assert.AreEqual(0, Event(registration, SipRegistrationEventKind.ServerFailed).StatusCode);
    }

    [TestMethod]
    public void UnregisterSendsExpiresZeroAndEndsUnregistered()
    {
        SipRegistration registration = Started(Config(1));
        SipMessage registered = Register(registration, 0, 120);
        registration.Unregister(1000);
        SipMessage removal = SipTestRegistrar.Parse(Sent(registration, 1000));
        Assert.AreEqual("0", removal.Get("Expires"));
        Assert.AreEqual("<sip:1001@10.0.0.5:5062>;expires=0", removal.Get("Contact"));
        Assert.AreEqual(registered.Get("Call-ID"), removal.Get("Call-ID"));
        Assert.IsNotNull(removal.Get("Authorization"));
        SipTestRegistrar.Deliver(registration, SipTestRegistrar.Answer(removal, 200, "OK"), 1100);
        Assert.AreEqual(SipRegistrationState.Unregistered, registration.State);
        Assert.AreEqual(200, Event(registration, SipRegistrationEventKind.Unregistered).StatusCode);
        Assert.AreEqual(Deadline.None, registration.NextDeadline);
    }

    [TestMethod]
    public void AResponseForAnotherTransactionIsIgnored()
    {
        SipRegistration registration = Started(Config(1));
        SipMessage request = SipTestRegistrar.Parse(Sent(registration, 0));
        SipMessage stranger = SipMessage.Response(200, "OK")
            .Add("Via", "SIP/2.0/UDP 10.0.0.5:5062;branch=z9hG4bKother")
            .Add("From", request.Required("From")).Add("To", request.Required("To"))
            .Add("Call-ID", request.Required("Call-ID")).Add("CSeq", request.Required("CSeq"));
        SipTestRegistrar.Deliver(registration, stranger, 0);
        Assert.AreEqual(SipRegistrationState.Registering, registration.State);
    }

    [TestMethod]
    public void OptionsIsAnsweredToItsSourceAndOtherRequestsGet405()
    {
        SipRegistration registration = Started(Config(1));
        Sent(registration, 0);
        SipMessage options = SipMessage.Request("OPTIONS", "sip:1001@10.0.0.5:5062")
            .Add("Via", "SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bKping")
            .Add("Via", "SIP/2.0/UDP 10.0.0.7;branch=z9hG4bKfar")
            .Add("From", "<sip:ping@10.0.0.1>;tag=p").Add("To", "<sip:1001@10.0.0.5>")
            .Add("Call-ID", "ping-1").Add("CSeq", "5 OPTIONS");
        registration.OnMessage(options, "10.0.0.1", 5099, 10);
        SipOutgoing outgoing = Sent(registration, 10);
        Assert.AreEqual(5099, outgoing.Port);
        SipMessage answer = SipTestRegistrar.Parse(outgoing);
        Assert.AreEqual(200, answer.StatusCode);
        Assert.AreEqual(2, answer.GetList("Via").Length);
        Assert.AreEqual("ping-1", answer.Get("Call-ID"));
        Assert.AreEqual("5 OPTIONS", answer.Get("CSeq"));
        Assert.IsNotNull(SipNameAddr.Parse(answer.Required("To")).Tag);
        Assert.IsNotNull(Event(registration, SipRegistrationEventKind.OptionsAnswered));

        SipMessage notify = SipMessage.Request("NOTIFY", "sip:1001@10.0.0.5:5062")
            .Add("Via", "SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bKn")
            .Add("From", "<sip:x@10.0.0.1>;tag=p").Add("To", "<sip:1001@10.0.0.5>")
            .Add("Call-ID", "n-1").Add("CSeq", "1 NOTIFY");
        registration.OnMessage(notify, "10.0.0.1", 5060, 20);
        Assert.AreEqual(405, SipTestRegistrar.Parse(Sent(registration, 20)).StatusCode);
    }
}
