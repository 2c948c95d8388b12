using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using Controller.Forms;
using Protocol.Common;
using Protocol.Registration;

namespace Controller.Registration;

/// <summary>
/// The element's registration logic over all its links, without the sockets: bytes of one link
/// in, the frames for that link (and for others) out through <see cref="IRegistrationTransport"/>.
/// It frames the stream, runs the link's <see cref="RegistrationSession"/> under the database
/// gate, tells a set whose DN was taken over by a replacement to clear its PIN and reset, re-checks
/// secondary registrations when another element's update changes their DN, and reports the RDN
/// updates to send to the other elements. <see cref="RegistrationServer"/> drives it from TCP/TLS
/// sockets; the simulation drives the same code from simulated streams.
/// </summary>
public sealed class RegistrationHub
{
    private readonly ElementForms _forms;
    private readonly object _databaseGate;
    private readonly RegistrationPolicy _policy;
    private readonly ConcurrentDictionary<RegistrationLink, byte> _live = new();
    private int _malformedFrames;

    public RegistrationHub(ElementForms forms, object databaseGate, RegistrationPolicy policy)
    {
        _forms = forms;
        _databaseGate = databaseGate;
        _policy = policy;
        Lockouts = new PinLockouts(policy);
    }

    /// <summary>Raised after an RdnUpdate from another element changed the Remote Directory Numbers.</summary>
    public event Action<RegistrationMessage>? RdnUpdated;

    /// <summary>Raised with an RdnUpdate to send to every other element (a DN created here by Automatic DN Selection).</summary>
    public event Action<RegistrationMessage>? Announce;

    /// <summary>Raised for every frame received on a link, before it is handled (counts, logs).</summary>
    public event Action<RegistrationSession, RegistrationMessage>? Received;

    /// <summary>Reports each frame sent to a set: its MAC (or the peer's address) and the frame.</summary>
    public event Action<string, RegistrationMessage>? Replied;

    /// <summary>Each frame from a set (after its Register) with the replies it got and whether the set is registered here as its DN's secondary.</summary>
    public event Action<string, RegistrationMessage, List<RegistrationMessage>, bool>? Decided;

    /// <summary>A set's link closed: its MAC.</summary>
    public event Action<string>? Disconnected;

    /// <summary>Wrong-PIN counts of this element's sets, shared by all links.</summary>
    public PinLockouts Lockouts { get; }

    public int MalformedFrames => _malformedFrames;

    /// <summary>A new link: its session starts waiting for Register.</summary>
    public RegistrationLink Open(IRegistrationTransport transport)
    {
        RegistrationLink link = new(new RegistrationSession(_forms, _policy, Lockouts), transport);
        _live[link] = 0;
        return link;
    }

    /// <summary>The link is gone: its set is no longer registered here.</summary>
    public void Close(RegistrationLink link)
    {
        if (_live.TryRemove(link, out _) && link.Session.Mac is string mac)
        {
            Disconnected?.Invoke(mac);
        }
    }

    /// <summary>
    /// Bytes read from a link at <paramref name="now"/>; returns how many whole frames they completed
    /// and were handled (0 while a frame is still arriving), or -1 when the link must be closed: the
    /// stream was malformed (the peer was told why and the frame counted), after which its framing
    /// cannot be trusted.
    /// </summary>
    public int Receive(RegistrationLink link, byte[] data, int offset, int count, long now)
    {
        int frames = 0;
        try
        {
            link.Reader.Append(data, offset, count);
            while (link.Reader.TryRead() is RegistrationMessage message)
            {
                Handle(link, message, now);
                frames++;
            }

            return frames;
        }
        catch (ProtocolParseException e)
        {
            System.Threading.Interlocked.Increment(ref _malformedFrames);
            link.Transport.Send(RegistrationMessage.Error(e.Message.Length > 200 ? e.Message[..200] : e.Message));
            return -1;
        }
    }

    /// <summary>The sets registered here now: (MAC, DN).</summary>
    public List<(string Mac, string Dn)> LiveRegistrations()
    {
        List<(string, string)> list = new();
        foreach (RegistrationLink link in _live.Keys)
        {
            if (link.Session.Mac != null && link.Session.RegisteredDn is string dn)
            {
                list.Add((link.Session.Mac, dn));
            }
        }

        return list;
    }

    /// <summary>
    /// Re-examines every live registration after the forms changed: a set whose DN or Multiline
    /// IP Sets row is gone, or whose DN another set holds, is told to clear its PIN and reset.
    /// Returns how many sets were told.
    /// </summary>
    public int Recheck(long now)
    {
        return Tell(link => true, session => session.Recheck(now));
    }

    /// <summary>
    /// An administrator deleted a set here (by MAC or by DN) that is registered at this element as
    /// its DN's secondary, where no Multiline IP Sets row of its own exists: it is told to clear
    /// its PIN and reset all the same. Returns how many sets were told.
    /// </summary>
    public int ReleaseSecondary(string? mac, string? dn, long now)
    {
        return Tell(
            link => link.Session.IsSecondaryRegistration && (mac == null || link.Session.Mac == mac) && (dn == null || link.Session.RegisteredDn == dn),
            session => session.Release(dn != null ? PinRequestReason.DnDeleted : PinRequestReason.MacDeleted, now));
    }

    private void Handle(RegistrationLink link, RegistrationMessage message, long now)
    {
        Received?.Invoke(link.Session, message);
        RegistrationOutcome outcome;
        List<(RegistrationLink Link, List<RegistrationMessage> Frames)> others = new();
        lock (_databaseGate)
        {
            outcome = link.Session.Handle(message, now);
            if (outcome.DisplacedMac is string displaced)
            {
                // The replacement took this MAC's DN: its live registration ends (one DN, one live set).
                Collect(others, other => other != link && other.Session.Mac == displaced, session => session.Recheck(now));
            }

            if (outcome.AppliedUpdate is RegistrationMessage update)
            {
                Collect(others, other => other.Session.IsSecondaryRegistration && other.Session.RegisteredDn == update.Dn, session => session.Recheck(now));
            }
        }

        if (link.Session.State != RegistrationSessionState.ElementLink && link.Session.Mac is string mac)
        {
            Decided?.Invoke(mac, message, outcome.Replies, link.Session.IsSecondaryRegistration);
        }

        foreach (RegistrationMessage reply in outcome.Replies)
        {
            Send(link, reply);
        }

        foreach ((RegistrationLink other, List<RegistrationMessage> frames) in others)
        {
            foreach (RegistrationMessage frame in frames)
            {
                Send(other, frame);
            }
        }

        if (outcome.AppliedUpdate != null)
        {
            RdnUpdated?.Invoke(outcome.AppliedUpdate);
        }

        if (outcome.Announcement != null)
        {
            Announce?.Invoke(outcome.Announcement);
        }
    }

    private int Tell(Func<RegistrationLink, bool> which, Func<RegistrationSession, List<RegistrationMessage>> frames)
    {
        List<(RegistrationLink Link, List<RegistrationMessage> Frames)> told = new();
        lock (_databaseGate)
        {
            Collect(told, which, frames);
        }

        foreach ((RegistrationLink link, List<RegistrationMessage> list) in told)
        {
            foreach (RegistrationMessage frame in list)
            {
                Send(link, frame);
            }
        }

        return told.Count;
    }

    // Under the gate: the frames each chosen link must get; links with none are left out.
    private void Collect(List<(RegistrationLink, List<RegistrationMessage>)> into, Func<RegistrationLink, bool> which, Func<RegistrationSession, List<RegistrationMessage>> frames)
    {
        foreach (RegistrationLink link in _live.Keys)
        {
            if (which(link) && frames(link.Session) is { Count: > 0 } list)
            {
                into.Add((link, list));
            }
        }
    }

    private void Send(RegistrationLink link, RegistrationMessage frame)
    {
        if (link.Transport.Send(frame))
        {
            Replied?.Invoke(link.Session.Mac ?? link.Transport.Peer, frame);
        }
    }
}
