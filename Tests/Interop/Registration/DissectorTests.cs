using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using PhoneFirmware.Core.Events;
using Protocol.Registration;
using Tests.Integration;
using Tests.Interop.Support;
using Tests.Support;

namespace Tests.Interop.Registration;

/// <summary>
/// tools/wireshark/phonereg.lua against real traffic: tshark captures loopback while the bench
/// registers a phone (or a socket pair sends hand-cut segments), then decodes the capture with
/// the dissector. The frames must come out as the codec wrote them, reassembled, and with no
/// malformed or error expert info.
/// </summary>
[TestClass]
public sealed class DissectorTests
{
    private const string TsharkPath = "/usr/bin/tshark";
    private const string PhoneMac = "00:08:5d:00:10:00";
    private static readonly TimeSpan DecodeTimeout = TimeSpan.FromSeconds(60);

    private static string Dissector => Path.Combine(RepositoryPaths.Root, "tools", "wireshark", "phonereg.lua");

    [TestMethod]
    public async Task AFirstRegistrationCapturedOnLoopbackDecodesFrameByFrame()
    {
        string tshark = Peer.Require(TsharkPath);
        using TestDirectory directory = new("phonereg");
        string file = directory.File("registration.pcapng");
        await using LoopbackBench bench = new();
        int port = bench.Element.RegistrationPort;
        using (TsharkCapture capture = new(tshark, port, file))
        {
            // In service once the first Keepalive after Registered is answered ("Waiting for COMMS...").
            bench.Boot(PhoneMac, "***1000", EventNames.InService);
            capture.Stop();
        }

        List<DecodedFrame> frames = Decode(tshark, file, port, out string json);
        string all = Describe(frames) + "\n" + json;
        CollectionAssert.AreEqual(new[] { "1", "2", "3", "4", "10", "11" }, frames.ConvertAll(f => f.Type), "Register, PinRequest, PinEntry, Registered, Keepalive, KeepaliveAck in order:\n" + all);

        DecodedFrame register = frames[0];
        Assert.AreEqual(PhoneMac, register.Find("phonereg.mac"), all);
        Assert.AreEqual("5320", register.Find("phonereg.set_type"), all);
        Assert.AreEqual("1.0.0", register.Find("phonereg.firmware"), all);
        Assert.IsNull(register.Find("phonereg.pin"), "a first boot has no stored PIN:\n" + all);
        Assert.AreEqual(((int)PinRequestReason.NoneStored).ToString(), frames[1].Find("phonereg.reason"), all);
        Assert.AreEqual("***1000", frames[2].Find("phonereg.pin"), all);
        Assert.AreEqual("1000", frames[3].Find("phonereg.dn"), all);
        Assert.AreEqual("Bench set 1000", frames[3].Find("phonereg.display_name"), all);
        Assert.AreEqual(frames[4].Find("phonereg.sequence"), frames[5].Find("phonereg.sequence"), "the KeepaliveAck answers the Keepalive's sequence:\n" + all);
        Assert.AreEqual("1", frames[3].Find("phonereg.save_pin"), all);

        string info = Fields(tshark, file, port, "phonereg", "_ws.col.Info");
        CollectionAssert.AreEqual(
            new[] { "Register mac=" + PhoneMac + " pin=no", "PinRequest reason=none-stored", "PinEntry pin=***1000", "Registered dn=1000 name=\"Bench set 1000\" save-pin=yes", "Keepalive seq=1", "KeepaliveAck seq=1" },
            Lines(info),
            "Info column:\n" + info);

        AssertNoMalformedOrErrors(tshark, file, port);
    }

    [TestMethod]
    public void FramesSplitAcrossSegmentsOrSharingOneAreReassembled()
    {
        string tshark = Peer.Require(TsharkPath);
        using TestDirectory directory = new("phonereg");
        string file = directory.File("segments.pcapng");
        TcpListener listener = new(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            int port = ((IPEndPoint)listener.LocalEndpoint).Port;
            using (TsharkCapture capture = new(tshark, port, file))
            {
                using (Connection connection = new(listener))
                {
                    // Register in three segments: inside the header, inside the MAC field, the rest.
                    byte[] register = RegistrationCodec.Encode(RegistrationMessage.Register(new byte[] { 0, 8, 0x5d, 0, 0x10, 0 }, 5320, "1.0.0", "***1000"));
                    connection.Phone.SendSegment(register, 0, 2);
                    connection.Phone.SendSegment(register, 2, 8);
                    connection.Phone.SendSegment(register, 10, register.Length - 10);

                    // Two frames in one segment.
                    byte[] keepalive = RegistrationCodec.Encode(RegistrationMessage.Keepalive(7));
                    byte[] text = RegistrationCodec.Encode(RegistrationMessage.DisplayText(1, "Hello"));
                    byte[] both = new byte[keepalive.Length + text.Length];
                    keepalive.CopyTo(both, 0);
                    text.CopyTo(both, keepalive.Length);
                    connection.Server.SendSegment(both, 0, both.Length);

                    byte[] ack = RegistrationCodec.Encode(RegistrationMessage.KeepaliveAck(7));
                    connection.Phone.SendSegment(ack, 0, ack.Length);
                }

                capture.Stop();
            }

            List<DecodedFrame> frames = Decode(tshark, file, port, out string json);
            string all = Describe(frames) + "\n" + json;
            CollectionAssert.AreEqual(new[] { "1", "10", "8", "11" }, frames.ConvertAll(f => f.Type), "Register, Keepalive, DisplayText, KeepaliveAck:\n" + all);

            Assert.AreEqual("3", frames[0].SegmentCount, "the Register was sent in three segments and reassembled from them:\n" + all);
            Assert.AreEqual(PhoneMac, frames[0].Find("phonereg.mac"), all);
            Assert.AreEqual("***1000", frames[0].Find("phonereg.pin"), all);

            Assert.AreEqual(frames[1].PacketNumber, frames[2].PacketNumber, "Keepalive and DisplayText share one segment:\n" + all);
            Assert.AreEqual("7", frames[1].Find("phonereg.sequence"), all);
            Assert.AreEqual("1", frames[2].Find("phonereg.row"), all);
            Assert.AreEqual("Hello", frames[2].Find("phonereg.text"), all);
            Assert.AreEqual("7", frames[3].Find("phonereg.sequence"), all);

            string info = Fields(tshark, file, port, "phonereg", "_ws.col.Info");
            CollectionAssert.Contains(Lines(info), "Keepalive seq=7, DisplayText row=1 text=\"Hello\"", "Info column:\n" + info);

            AssertNoMalformedOrErrors(tshark, file, port);
        }
        finally
        {
            listener.Stop();
        }
    }

    [TestMethod]
    public void AnUnknownVersionAndAnOversizedBodyAreFlaggedAsMalformed()
    {
        string tshark = Peer.Require(TsharkPath);
        using TestDirectory directory = new("phonereg");
        string file = directory.File("bad-headers.pcapng");
        TcpListener listener = new(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            int port = ((IPEndPoint)listener.LocalEndpoint).Port;
            using (TsharkCapture capture = new(tshark, port, file))
            {
                using (Connection connection = new(listener))
                {
                    byte[] version2 = RegistrationCodec.Encode(RegistrationMessage.Keepalive(1));
                    version2[0] = 2;
                    connection.Phone.SendSegment(version2, 0, version2.Length);
                }

                using (Connection connection = new(listener))
                {
                    byte[] oversized = new byte[RegistrationCodec.HeaderLength + 16];
                    oversized[0] = RegistrationCodec.Version;
                    oversized[1] = (byte)RegistrationMessageType.Register;
                    oversized[2] = (RegistrationCodec.MaximumBodyLength + 1) >> 8;
                    oversized[3] = (RegistrationCodec.MaximumBodyLength + 1) & 0xff;
                    connection.Phone.SendSegment(oversized, 0, oversized.Length);
                }

                capture.Stop();
            }

            string version = Fields(tshark, file, port, "phonereg.version.unknown && _ws.expert.severity == error", "phonereg.version");
            CollectionAssert.AreEqual(new[] { "2" }, Lines(version), "one frame with version 2 flagged:\n" + version);
            string length = Fields(tshark, file, port, "phonereg.length.oversized && _ws.expert.severity == error", "phonereg.length");
            CollectionAssert.AreEqual(new[] { (RegistrationCodec.MaximumBodyLength + 1).ToString() }, Lines(length), "one frame with an oversized body flagged:\n" + length);
        }
        finally
        {
            listener.Stop();
        }
    }

    private static void AssertNoMalformedOrErrors(string tshark, string file, int port)
    {
        string bad = Fields(tshark, file, port, "_ws.malformed || _ws.expert.severity == error", "frame.number", "_ws.col.Info", "_ws.expert.message");
        Assert.AreEqual(0, Lines(bad).Length, "malformed or error expert info:\n" + bad);
    }

    /// <summary>Every registration frame in the capture, in order (a packet may carry several).</summary>
    private static List<DecodedFrame> Decode(string tshark, string file, int port, out string json)
    {
        json = Tshark(tshark, "-r", file, "-X", "lua_script:" + Dissector, "-d", "tcp.port==" + port + ",phonereg", "-Y", "phonereg", "-T", "json");
        List<DecodedFrame> frames = new();
        if (string.IsNullOrWhiteSpace(json))
        {
            return frames;
        }

        using JsonDocument document = JsonDocument.Parse(json);
        foreach (JsonElement packet in document.RootElement.EnumerateArray())
        {
            JsonElement layers = packet.GetProperty("_source").GetProperty("layers");
            string number = layers.GetProperty("frame").GetProperty("frame.number").GetString()!;
            string? segments = null;
            foreach (JsonProperty layer in layers.EnumerateObject())
            {
                if (layer.Name == "tcp.segments" && layer.Value.TryGetProperty("tcp.segment.count", out JsonElement count))
                {
                    segments = count.GetString();
                }
            }

            foreach (JsonProperty layer in layers.EnumerateObject())
            {
                if (layer.Name == "phonereg")
                {
                    DecodedFrame frame = new(number, segments);
                    Flatten(layer.Value, frame.Fields);
                    frames.Add(frame);
                }
            }
        }

        return frames;
    }

    private static void Flatten(JsonElement element, List<KeyValuePair<string, string>> into)
    {
        foreach (JsonProperty property in element.EnumerateObject())
        {
            if (property.Value.ValueKind == JsonValueKind.Object)
            {
                Flatten(property.Value, into);
            }
            else if (property.Value.ValueKind == JsonValueKind.String)
            {
                into.Add(new KeyValuePair<string, string>(property.Name, property.Value.GetString()!));
            }
        }
    }

    private static string Fields(string tshark, string file, int port, string filter, params string[] fields)
    {
        List<string> args = new() { "-r", file, "-X", "lua_script:" + Dissector, "-d", "tcp.port==" + port + ",phonereg", "-Y", filter, "-T", "fields" };
        foreach (string field in fields)
        {
            args.Add("-e");
            args.Add(field);
        }

        return Tshark(tshark, args.ToArray());
    }

    private static string[] Lines(string text)
    {
        return text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    /// <summary>Runs tshark on a capture file; returns stdout, failing with stderr on a non-zero exit or a Lua error.</summary>
    private static string Tshark(string tshark, params string[] args)
    {
        ProcessStartInfo start = new(tshark) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using Process process = Process.Start(start) ?? throw new InvalidOperationException("cannot start " + tshark);
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(DecodeTimeout))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail("tshark " + string.Join(" ", args) + " did not finish in " + DecodeTimeout + "; stderr: " + stderr.Result);
        }

        process.WaitForExit();
        string command = "tshark " + string.Join(" ", args);
        Assert.AreEqual(0, process.ExitCode, command + " failed:\n" + stderr.Result + stdout.Result);
        Assert.IsFalse(stderr.Result.Contains("Lua", StringComparison.OrdinalIgnoreCase), command + ": the dissector did not load cleanly:\n" + stderr.Result);
        return stdout.Result;
    }

    private static string Describe(List<DecodedFrame> frames)
    {
        StringBuilder text = new("decoded frames:\n");
        foreach (DecodedFrame frame in frames)
        {
            text.Append("  #").Append(frame.PacketNumber).Append(' ');
            foreach (KeyValuePair<string, string> field in frame.Fields)
            {
                text.Append(field.Key).Append('=').Append(field.Value).Append(' ');
            }

            text.Append('\n');
        }

        return text.ToString();
    }

    private sealed class DecodedFrame
    {
        public DecodedFrame(string packetNumber, string? segmentCount)
        {
            PacketNumber = packetNumber;
            SegmentCount = segmentCount;
        }

        public string PacketNumber { get; }

        /// <summary>How many TCP segments the packet's reassembled data came from, if more than one.</summary>
        public string? SegmentCount { get; }

        public List<KeyValuePair<string, string>> Fields { get; } = new();

        public string Type => Find("phonereg.type") ?? "(none)";

        public string? Find(string name)
        {
            return Fields.Find(f => f.Key == name).Value;
        }
    }

    /// <summary>A connected socket pair on loopback, phone side and server side, both with Nagle off.</summary>
    private sealed class Connection : IDisposable
    {
        public Connection(TcpListener listener)
        {
            Socket phone = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            phone.Connect((IPEndPoint)listener.LocalEndpoint);
            Task<Socket> accept = listener.AcceptSocketAsync();
            Assert.IsTrue(accept.Wait(TimeSpan.FromSeconds(10)), "the loopback connection was not accepted");
            Socket server = accept.Result;
            server.NoDelay = true;
            Phone = new Side(phone);
            Server = new Side(server);
        }

        public Side Phone { get; }

        public Side Server { get; }

        public void Dispose()
        {
            Phone.Socket.Dispose();
            Server.Socket.Dispose();
        }
    }

    private sealed class Side
    {
        public Side(Socket socket)
        {
            Socket = socket;
        }

        public Socket Socket { get; }

        /// <summary>Sends bytes as their own segment: Nagle is off, and the pause lets them leave before the next send.</summary>
        public void SendSegment(byte[] data, int offset, int count)
        {
            Assert.AreEqual(count, Socket.Send(data, offset, count, SocketFlags.None));
            Thread.Sleep(100);
        }
    }
}
