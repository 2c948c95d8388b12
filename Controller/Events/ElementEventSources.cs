using System;
using System.Collections.Generic;
using Controller.Dhcp;
using Controller.Registration;
using Controller.Tftp;
using Protocol.Common;
using Protocol.Dhcp;
using Protocol.Registration;

namespace Controller.Events;

/// <summary>
/// Turns what the element's servers report (registration decisions and the frames sent, closed
/// links, lease writes, TFTP transfers) into the event log and the registrations board.
/// </summary>
public static class ElementEventSources
{
    public static void Attach(ControllerEventFeed feed, RegistrationBoard board, RegistrationServer registration, SqliteLeaseStore? leases, TftpServer? tftp)
    {
        registration.Decided += (mac, request, replies, secondary) => OnDecided(feed, board, mac, request, replies, secondary);
        registration.Replied += (subject, frame) => OnSent(feed, board, subject, frame);
        registration.Disconnected += mac =>
        {
            board.Disconnected(mac);
            feed.Publish(ControllerEventKinds.Disconnected, mac, "link closed");
        };
        if (leases != null)
        {
            leases.Saved += lease =>
            {
                if (lease.State == DhcpLeaseState.Bound)
                {
                    feed.Publish(ControllerEventKinds.DhcpLease, lease.ClientKey, "leased " + Ipv4.Format(lease.Address));
                }
            };
        }

        if (tftp != null)
        {
            tftp.Logged += line => feed.Publish(ControllerEventKinds.Tftp, "tftp", line.StartsWith("tftp ", StringComparison.Ordinal) ? line[5..] : line);
        }
    }

    private static void OnDecided(ControllerEventFeed feed, RegistrationBoard board, string mac, RegistrationMessage request, List<RegistrationMessage> replies, bool secondary)
    {
        foreach (RegistrationMessage reply in replies)
        {
            if (reply.Type != RegistrationMessageType.Registered)
            {
                continue;
            }

            RegisteredBy by = request.Type == RegistrationMessageType.PinEntry ? RegisteredBy.TypedPin : request.Pin != null ? RegisteredBy.StoredPin : RegisteredBy.Mac;
            board.Registered(mac, reply.Dn, reply.DisplayName, by, secondary, DateTimeOffset.UtcNow);
            if (secondary && request.Failover)
            {
                feed.Publish(ControllerEventKinds.Failover, mac, "DN " + reply.Dn + " registered here as its secondary element");
            }

            feed.Publish(ControllerEventKinds.Registered, mac, "DN " + reply.Dn + (reply.DisplayName.Length > 0 ? " '" + reply.DisplayName + "'" : string.Empty) + " by " + Describe(by) + (secondary ? ", secondary" : ", primary"));
        }
    }

    private static void OnSent(ControllerEventFeed feed, RegistrationBoard board, string subject, RegistrationMessage frame)
    {
        switch (frame.Type)
        {
            case RegistrationMessageType.PinRequest when frame.Reason == PinRequestReason.LockedOut:
                feed.Publish(ControllerEventKinds.LockOut, subject, "too many wrong PINs: prompts refused for a while");
                break;
            case RegistrationMessageType.PinRequest:
                feed.Publish(ControllerEventKinds.PinPrompt, subject, "reason " + Describe(frame.Reason));
                break;
            case RegistrationMessageType.Redirect:
                board.Left(subject);
                feed.Publish(ControllerEventKinds.Redirect, subject, "to " + frame.Host + ":" + frame.Port);
                break;
            case RegistrationMessageType.ClearPin:
                feed.Publish(ControllerEventKinds.Clear, subject, "clear PIN, reason " + Describe(frame.Reason));
                break;
            case RegistrationMessageType.Reset:
                board.Left(subject);
                feed.Publish(ControllerEventKinds.Reset, subject, "reset (" + frame.Text + ")");
                break;
        }
    }

    public static string Describe(RegisteredBy by)
    {
        return by switch
        {
            RegisteredBy.StoredPin => "stored PIN",
            RegisteredBy.TypedPin => "typed PIN",
            _ => "MAC",
        };
    }

    private static string Describe(PinRequestReason reason)
    {
        return reason switch
        {
            PinRequestReason.NoneStored => "no PIN stored",
            PinRequestReason.InvalidAccessCode => "invalid access code",
            PinRequestReason.AccessCodeMismatch => "access code changed",
            PinRequestReason.DnInUse => "DN in use by another set",
            PinRequestReason.WrongPin => "wrong PIN",
            PinRequestReason.LockedOut => "locked out",
            PinRequestReason.DnDeleted => "DN deleted",
            PinRequestReason.MacDeleted => "set deleted",
            PinRequestReason.UnknownDn => "unknown DN",
            _ => reason.ToString(),
        };
    }
}
