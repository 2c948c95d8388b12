using System;
using System.Collections.Generic;
using Hal;
using Protocol.Common;
using Protocol.Registration;

namespace Tests.Simulation;

/// <summary>
/// A call server on the simulated network that answers each Register or PinEntry as the test
/// scripts it (a redirect back, a refusal, a lock-out with time left), for phone behaviours no
/// real element produces on its own. Keepalives are answered unless <see cref="AnswersKeepalives"/> is off.
/// </summary>
public sealed class ScriptedCallServer : ISimActor
{
    private readonly Func<RegistrationMessage, RegistrationMessage[]> _answer;
    private readonly SimStreamListener _listener;
    private readonly List<(SimStreamConnection Stream, RegistrationFrameReader Reader)> _links = new();
    private readonly byte[] _buffer = new byte[RegistrationCodec.HeaderLength + RegistrationCodec.MaximumBodyLength];

    public ScriptedCallServer(SimRunner runner, string name, uint address, Func<RegistrationMessage, RegistrationMessage[]> answer)
    {
        _answer = answer;
        Host = runner.Network.AddHost(name, new byte[] { 0x02, 0, 0, 0, 0, (byte)address }, address);
        _listener = Host.Listen(6800);
        runner.Add(this);
    }

    public SimHost Host { get; }

    /// <summary>Register frames received, over all connections.</summary>
    public int Registers { get; private set; }

    public List<RegistrationMessage> Received { get; } = new();

    /// <summary>Off: a Keepalive gets no KeepaliveAck (an element that acknowledges, then falls silent).</summary>
    public bool AnswersKeepalives { get; set; } = true;

    /// <summary>Sends a frame unasked on every open connection.</summary>
    public void Push(RegistrationMessage message)
    {
        byte[] frame = RegistrationCodec.Encode(message);
        foreach ((SimStreamConnection stream, RegistrationFrameReader _) in _links)
        {
            stream.Send(frame, 0, frame.Length);
        }
    }

    public long Step(long now)
    {
        SimStreamConnection? accepted;
        while ((accepted = _listener.Accept()) != null)
        {
            _links.Add((accepted, new RegistrationFrameReader()));
        }

        foreach ((SimStreamConnection stream, RegistrationFrameReader reader) in _links.ToArray())
        {
            int count;
            while ((count = stream.Receive(_buffer, 0, _buffer.Length)) > 0)
            {
                reader.Append(_buffer, 0, count);
                RegistrationMessage? message;
                while ((message = reader.TryRead()) != null)
                {
                    Received.Add(message);
                    Registers += message.Type == RegistrationMessageType.Register ? 1 : 0;
                    RegistrationMessage[] replies = message.Type != RegistrationMessageType.Keepalive ? _answer(message)
                        : AnswersKeepalives ? new[] { RegistrationMessage.KeepaliveAck(message.Sequence) }
                        : Array.Empty<RegistrationMessage>();
                    foreach (RegistrationMessage reply in replies)
                    {
                        byte[] frame = RegistrationCodec.Encode(reply);
                        stream.Send(frame, 0, frame.Length);
                    }
                }
            }

            if (stream.State == StreamState.Closed || stream.State == StreamState.Failed)
            {
                _links.Remove((stream, reader));
            }
        }

        return Deadline.None;
    }
}
