using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using Protocol.Common;
using Protocol.Dhcp;
using Protocol.Dns;
using Protocol.Registration;
using Protocol.Tftp;

namespace Fuzz;

/// <summary>
/// `fuzz-targets --seeds REPO DIR`: writes DIR/TARGET/* — the wire examples of docs/ encoded with
/// the project's own encoders (the registration sequences of docs/registration-protocol.md, the
/// option 125 example of docs/dhcp.md, a TFTP read with options of docs/tftp.md), the test-port
/// example lines of docs/test-port.md, the configuration of docs/controller-config.md and the
/// shipped scenarios.
/// </summary>
public static class Seeds
{
    private const string Vendor = "id:ipphone.mitel.com;sw_tftp=10.77.0.1;call_srv=10.77.0.1";
    private static readonly byte[] Mac = { 0x00, 0x08, 0x5d, 0xaa, 0xbb, 0x05 };

    public static void Write(string repository, string directory)
    {
        Dictionary<string, List<byte[]>> seeds = new(StringComparer.Ordinal);
        foreach (string target in FuzzTargets.All.Keys)
        {
            seeds[target] = new List<byte[]>();
        }

        byte[][] dhcp = DhcpExamples();
        seeds["dhcp-message"].AddRange(dhcp);
        seeds["dhcp-server"].AddRange(dhcp);
        seeds["dhcp-options"].Add(Option125Area(0));
        seeds["dhcp-options"].Add(Option125Area(1));
        seeds["dhcp-options"].Add(Option125Area(130));
        seeds["vendor-string"].Add(Encoding.ASCII.GetBytes(Vendor));
        seeds["vendor-string"].Add(Encoding.ASCII.GetBytes("id:ipphone.mitel.com;sw_tftp=10.37.20.11;call_srv=10.37.18.11,pbx.example.com:6800;vlan=1056;l2p=6;dscp=46"));
        seeds["tftp-packet"].Add(TftpPacketWriter.Request(TftpOpcode.ReadRequest, "boot.img", "octet", new[] { "blksize", "tsize", "windowsize", "timeout" }, new[] { "1428", "0", "8", "3" }));
        seeds["tftp-packet"].Add(TftpPacketWriter.OptionAck(new[] { "blksize", "tsize" }, new[] { "1428", "262144" }));
        seeds["tftp-packet"].Add(TftpPacketWriter.Data(1, new byte[32], 0, 32));
        seeds["tftp-packet"].Add(TftpPacketWriter.Ack(1));
        seeds["tftp-packet"].Add(TftpPacketWriter.Error(TftpErrorCode.FileNotFound, "no such file"));
        seeds["registration-frames"].Add(Frames(
            RegistrationMessage.Register(Mac, 5320, "1.0.0", null),
            RegistrationMessage.PinRequest(PinRequestReason.NoneStored),
            RegistrationMessage.PinEntry("***1000"),
            RegistrationMessage.Registered("1000", "Bench set 1000", true)));
        seeds["registration-frames"].Add(Frames(
            RegistrationMessage.Register(Mac, 5320, "1.0.0", "***2004"),
            RegistrationMessage.Redirect("127.0.0.1", 6810, true),
            RegistrationMessage.ClearPin(PinRequestReason.DnInUse),
            RegistrationMessage.Keepalive(7),
            RegistrationMessage.RdnUpdate("2004", 2, 0, false)));
        seeds["dns-response"].Add(DnsAnswer());
        seeds["test-port-lines"].Add(TestPortLines(File.ReadAllText(Path.Combine(repository, "docs", "test-port.md"))));
        seeds["controller-config"].Add(Encoding.UTF8.GetBytes(JsonBlock(File.ReadAllText(Path.Combine(repository, "docs", "controller-config.md")))));
        seeds["controller-config"].Add(File.ReadAllBytes(Path.Combine(repository, "Controller", "Configuration", "demo-config.json")));
        foreach (string scenario in Directory.GetFiles(Path.Combine(repository, "tools", "HilRunner", "scenarios")))
        {
            seeds["hil-scenario"].Add(File.ReadAllBytes(scenario));
        }

        foreach (string block in FencedBlocks(File.ReadAllText(Path.Combine(repository, "docs", "sip.md"))))
        {
            // docs/sip.md's byte examples: messages (lines end in CRLF on the wire) and configuration files.
            if (block.StartsWith("SIP/2.0 ", StringComparison.Ordinal) || block.StartsWith("REGISTER ", StringComparison.Ordinal) || block.StartsWith("OPTIONS ", StringComparison.Ordinal))
            {
                seeds["sip-message"].Add(Encoding.ASCII.GetBytes(block.Replace("\n", "\r\n", StringComparison.Ordinal)));
            }
            else if (block.Contains(": ", StringComparison.Ordinal))
            {
                seeds["sip-config"].Add(Encoding.ASCII.GetBytes(block));
            }
        }

        foreach (KeyValuePair<string, List<byte[]>> target in seeds)
        {
            string folder = Path.Combine(directory, target.Key);
            Directory.CreateDirectory(folder);
            for (int i = 0; i < target.Value.Count; i++)
            {
                File.WriteAllBytes(Path.Combine(folder, "seed-" + i), target.Value[i]);
            }
        }
    }

    // DISCOVER from a phone, then the OFFER with option 125 as docs/dhcp.md's example encodes it.
    private static byte[][] DhcpExamples()
    {
        DhcpMessage discover = new() { TransactionId = 0x1234, ClientHardwareAddress = Mac, MessageType = DhcpMessageType.Discover };
        discover.Options.Set(DhcpOptionCode.ParameterRequestList, new byte[] { 1, 3, 6, 43, 125, 128, 129, 130 });
        discover.Options.SetString(DhcpOptionCode.VendorClassIdentifier, "MITEL IP PHONE");
        DhcpMessage offer = new() { Op = DhcpMessage.BootReply, TransactionId = 0x1234, ClientHardwareAddress = Mac, YourAddress = 0x0A4D0064, MessageType = DhcpMessageType.Offer };
        offer.Options.SetUInt32(DhcpOptionCode.ServerIdentifier, 0x0A4D0001);
        offer.Options.SetUInt32(DhcpOptionCode.LeaseTime, 3600);
        offer.Options.SetUInt32(DhcpOptionCode.SubnetMask, 0xFFFFFF00);
        offer.Options.Set(DhcpOptionCode.VendorIdentifyingVendorSpecific, PhoneConfigOptions.BuildOption125(Vendor, 1));
        DhcpMessage request = new() { TransactionId = 0x1235, ClientHardwareAddress = Mac, MessageType = DhcpMessageType.Request };
        request.Options.SetUInt32(DhcpOptionCode.RequestedAddress, 0x0A4D0064);
        request.Options.SetUInt32(DhcpOptionCode.ServerIdentifier, 0x0A4D0001);
        return new[] { discover.Encode(), offer.Encode(), request.Encode() };
    }

    private static byte[] Option125Area(int encoding)
    {
        DhcpOptionList options = new();
        options.Set(DhcpOptionCode.VendorIdentifyingVendorSpecific, PhoneConfigOptions.BuildOption125(Vendor, encoding));
        ByteWriter writer = new(256);
        options.WriteTo(writer);
        return writer.ToArray();
    }

    private static byte[] Frames(params RegistrationMessage[] messages)
    {
        List<byte> bytes = new() { 7 }; // the target's first byte: the size of the pieces
        foreach (RegistrationMessage message in messages)
        {
            bytes.AddRange(RegistrationCodec.Encode(message));
        }

        return bytes.ToArray();
    }

    // The answer to DnsQuery's question for pbx.example.com: one A record, the name compressed.
    private static byte[] DnsAnswer()
    {
        byte[] query = DnsQuery.Encode(0x4242, "pbx.example.com");
        List<byte> bytes = new(query);
        bytes[2] = 0x81;
        bytes[3] = 0x80;
        bytes[7] = 1; // one answer
        bytes.AddRange(new byte[] { 0xC0, 0x0C, 0, 1, 0, 1, 0, 0, 0x0E, 0x10, 0, 4, 10, 77, 0, 1 });
        return bytes.ToArray();
    }

    // The example's lines without their "> " / "< " direction marks, as they cross the wire.
    private static byte[] TestPortLines(string document)
    {
        StringBuilder lines = new();
        foreach (string line in document.Split('\n'))
        {
            if (line.StartsWith("    > ", StringComparison.Ordinal) || line.StartsWith("    < ", StringComparison.Ordinal))
            {
                lines.Append(line, 6, line.Length - 6).Append('\n');
            }
        }

        return Encoding.ASCII.GetBytes(lines.ToString());
    }

    private static string JsonBlock(string document)
    {
        int start = document.IndexOf("```json\n", StringComparison.Ordinal) + 8;
        int end = document.IndexOf("```", start, StringComparison.Ordinal);
        return document[start..end];
    }

    // The contents of the ``` blocks of a Markdown document, each ending in a newline.
    private static List<string> FencedBlocks(string document)
    {
        List<string> blocks = new();
        string[] parts = document.Replace("\r\n", "\n", StringComparison.Ordinal).Split("```");
        for (int i = 1; i < parts.Length; i += 2)
        {
            string block = parts[i];
            int firstLine = block.IndexOf('\n', StringComparison.Ordinal);
            blocks.Add(firstLine < 0 ? string.Empty : block[(firstLine + 1)..]); // past the info string
        }

        return blocks;
    }
}
