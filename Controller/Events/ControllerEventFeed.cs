using System;
using System.Collections.Generic;
using System.Threading.Channels;

namespace Controller.Events;

/// <summary>
/// The element's event log: keeps the last <see cref="Capacity"/> events for a page that opens
/// late and hands each new one to every subscriber (the web page's server-sent events). Publishing
/// never blocks: a subscriber that falls behind loses its oldest undelivered events, not the server's time.
/// </summary>
public sealed class ControllerEventFeed
{
    public const int Capacity = 200;
    private const int SubscriberBacklog = 256;
    private readonly object _gate = new();
    private readonly Queue<ControllerEvent> _recent = new();
    private readonly List<Channel<ControllerEvent>> _subscribers = new();
    private long _sequence;

    /// <summary>Raised after each event, on the publishing thread (keep handlers short).</summary>
    public event Action<ControllerEvent>? Published;

    public ControllerEvent Publish(string kind, string subject, string detail)
    {
        ControllerEvent published;
        lock (_gate)
        {
            published = new ControllerEvent(++_sequence, DateTimeOffset.UtcNow, kind, subject, detail);
            _recent.Enqueue(published);
            if (_recent.Count > Capacity)
            {
                _recent.Dequeue();
            }

            foreach (Channel<ControllerEvent> subscriber in _subscribers)
            {
                subscriber.Writer.TryWrite(published);
            }
        }

        Published?.Invoke(published);
        return published;
    }

    /// <summary>The kept events, oldest first.</summary>
    public List<ControllerEvent> Recent()
    {
        lock (_gate)
        {
            return new List<ControllerEvent>(_recent);
        }
    }

    /// <summary>Every event published from now on, until the subscription is disposed.</summary>
    public Subscription Subscribe()
    {
        Channel<ControllerEvent> channel = Channel.CreateBounded<ControllerEvent>(new BoundedChannelOptions(SubscriberBacklog)
        {
            FullMode = BoundedChannelFullMode.DropOldest,
            SingleReader = true,
        });
        lock (_gate)
        {
            _subscribers.Add(channel);
        }

        return new Subscription(this, channel);
    }

    private void Unsubscribe(Channel<ControllerEvent> channel)
    {
        lock (_gate)
        {
            _subscribers.Remove(channel);
        }

        channel.Writer.TryComplete();
    }

    public sealed class Subscription : IDisposable
    {
        private readonly ControllerEventFeed _feed;
        private readonly Channel<ControllerEvent> _channel;

        internal Subscription(ControllerEventFeed feed, Channel<ControllerEvent> channel)
        {
            _feed = feed;
            _channel = channel;
        }

        public ChannelReader<ControllerEvent> Reader => _channel.Reader;

        public void Dispose()
        {
            _feed.Unsubscribe(_channel);
        }
    }
}
