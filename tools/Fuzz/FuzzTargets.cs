using System;
using System.Collections.Generic;
using System.Text;
using Controller.Configuration;
using HilRunner;
using PhoneFirmware.Core.TestPort;
using Protocol.Common;
using Protocol.Dhcp;
using Protocol.Dns;
using Protocol.Registration;
using Protocol.Sip;
using Protocol.Tftp;

namespace Fuzz;

/// <summary>
/// Every parser that takes bytes or text from outside, as a fuzz target: the input goes in as the
/// program would receive it, and only the parser's own "this input is wrong" exception may come
/// out. Anything else escapes, and afl-fuzz records it as a crash.
/// </summary>
public static class FuzzTargets
{
    /// <summary>Target name → what one input does.</summary>
    public static readonly IReadOnlyDictionary<string, Action<byte[]>> All = new SortedDictionary<string, Action<byte[]>>(StringComparer.Ordinal)
    {
        ["dhcp-message"] = DhcpMessageTarget,
        ["dhcp-server"] = DhcpServerTarget,
        ["dhcp-options"] = DhcpOptionsTarget,
        ["vendor-string"] = VendorStringTarget,
        ["tftp-packet"] = TftpPacketTarget,
        ["registration-frames"] = RegistrationFramesTarget,
        ["dns-response"] = DnsResponseTarget,
        ["test-port-lines"] = TestPortLinesTarget,
        ["controller-config"] = ControllerConfigTarget,
        ["hil-scenario"] = HilScenarioTarget,
        ["sip-message"] = SipMessageTarget,
        ["sip-config"] = SipConfigTarget,
    };

    // The phone's DHCP client side: a server's reply (options incl. RFC 3396 overload and concatenation), then the Mitel options in it.
    private static void DhcpMessageTarget(byte[] input)
    {
        DhcpMessage message;
        try
        {
            message = DhcpMessage.Parse(input, 0, input.Length);
        }
        catch (ProtocolParseException)
        {
            return;
        }

        // The client calls Find without a catch: nothing at all may come out of it.
        PhoneConfigOptions.Find(message.Options, out _);
    }

    // The controller's DHCP server: whatever arrives on port 67 (it drops and counts what it cannot use).
    private static void DhcpServerTarget(byte[] input)
    {
        DhcpServerConfig config = new()
        {
            ServerAddress = 0x0A000001,
            PoolStart = 0x0A000064,
            PoolEnd = 0x0A0000C8,
            SubnetMask = 0xFFFFFF00,
            PhoneConfigString = "id:ipphone.mitel.com;sw_tftp=10.0.0.1;call_srv=10.0.0.1:6800",
        };
        DhcpServer server = new(config, new InMemoryDhcpLeaseStore());
        server.Handle(input, 0, input.Length, 1000);
        server.Handle(input, 0, input.Length, 2000); // again: the same client with state now
    }

    private static void DhcpOptionsTarget(byte[] input)
    {
        DhcpOptionList options = new();
        try
        {
            options.ParseArea(input, 0, input.Length);
        }
        catch (ProtocolParseException)
        {
            return;
        }

        PhoneConfigOptions.Find(options, out _);
    }

    private static void VendorStringTarget(byte[] input)
    {
        try
        {
            IpPhoneConfigString.Parse(Encoding.Latin1.GetString(input));
        }
        catch (ProtocolParseException)
        {
        }
    }

    private static void TftpPacketTarget(byte[] input)
    {
        try
        {
            TftpPacket.Parse(input, 0, input.Length);
        }
        catch (ProtocolParseException)
        {
        }
    }

    // A connection's bytes in the pieces TCP may deliver them: the first byte says where the first cut is.
    private static void RegistrationFramesTarget(byte[] input)
    {
        RegistrationFrameReader reader = new();
        int piece = input.Length > 0 ? 1 + (input[0] % 64) : 1;
        try
        {
            for (int at = 0; at < input.Length; at += piece)
            {
                reader.Append(input, at, Math.Min(piece, input.Length - at));
                while (reader.TryRead() != null)
                {
                }
            }
        }
        catch (ProtocolParseException)
        {
        }
    }

    private static void DnsResponseTarget(byte[] input)
    {
        try
        {
            DnsResponse.Parse(input, 0, input.Length);
        }
        catch (ProtocolParseException)
        {
        }
    }

    // The serial line both ways: the phone reads commands, the HIL runner reads replies and events.
    private static void TestPortLinesTarget(byte[] input)
    {
        TestPortLineReader reader = new(TestPortLimits.MaxReplyLength);
        foreach (byte b in input)
        {
            string? line;
            try
            {
                line = reader.Push(b); // an unreadable line is refused at its end; the next one is read
            }
            catch (ProtocolParseException)
            {
                continue;
            }

            if (line == null)
            {
                continue;
            }

            try
            {
                TestPortCodec.ParseCommand(line);
            }
            catch (ProtocolParseException)
            {
            }

            try
            {
                TestPortCodec.ParseReply(line);
            }
            catch (ProtocolParseException)
            {
            }
        }
    }

    private static void ControllerConfigTarget(byte[] input)
    {
        try
        {
            ConfigLoader.Parse(Encoding.UTF8.GetString(input), "fuzz.json");
        }
        catch (ConfigException)
        {
        }
    }

    private static void HilScenarioTarget(byte[] input)
    {
        try
        {
            ScenarioParser.Parse(Encoding.UTF8.GetString(input), "fuzz.txt");
        }
        catch (ScenarioException)
        {
        }
    }

    // A SIP message as a UDP datagram, then the same bytes as a TCP stream in pieces (the first byte says where the cuts are).
    private static void SipMessageTarget(byte[] input)
    {
        try
        {
            SipMessageParser.Parse(input, 0, input.Length);
        }
        catch (ProtocolParseException)
        {
        }

        SipStreamFramer framer = new();
        int piece = input.Length > 0 ? 1 + (input[0] % 64) : 1;
        try
        {
            for (int at = 0; at < input.Length; at += piece)
            {
                framer.Append(input, at, Math.Min(piece, input.Length - at));
                while (framer.Take() != null)
                {
                }
            }
        }
        catch (ProtocolParseException)
        {
        }
    }

    // The vendor's key: value configuration files: malformed lines are counted, so nothing at all may come out.
    private static void SipConfigTarget(byte[] input)
    {
        SipConfigFile file = SipConfigFile.Parse(input, 0, input.Length);
        SipConfigFile merged = SipConfigFile.Parse(Array.Empty<byte>(), 0, 0);
        merged.Apply(file);
        SipPhoneSettings.From(merged);
    }
}
