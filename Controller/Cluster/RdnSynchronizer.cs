using System;
using System.Collections.Generic;
using System.Net.Security;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using Controller.Forms;
using Hal.Host;
using Protocol.Registration;

namespace Controller.Cluster;

/// <summary>
/// Keeps Remote Directory Numbers in step across the cluster (our stand-in for the IP trunking
/// the real product synchronises over): every change to this element's Telephone Directory is
/// sent as an RdnUpdate frame to every other element's registration port, and the whole local
/// list is sent at start-up. An element that is down is retried until it answers.
/// </summary>
public sealed class RdnSynchronizer : IDisposable
{
    private static readonly TimeSpan RetryInterval = TimeSpan.FromSeconds(3);
    private readonly ElementForms _forms;
    private readonly object _databaseGate;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _pending = new();

    private readonly TlsClientOptions? _tls;

    /// <param name="tls">When set, the elements' registration ports speak TLS and their certificates are checked with it.</param>
    public RdnSynchronizer(ElementForms forms, object databaseGate, TlsClientOptions? tls = null)
    {
        _tls = tls;
        _forms = forms;
        _databaseGate = databaseGate;
    }

    /// <summary>Updates delivered to other elements (for tests and the log).</summary>
    public int Delivered => _delivered;

    private int _delivered;

    /// <summary>Sends every local DN to every other element.</summary>
    public void AnnounceAll()
    {
        List<string> numbers = new();
        lock (_databaseGate)
        {
            foreach ((string number, string _) in _forms.TelephoneDirectory.List())
            {
                numbers.Add(number);
            }
        }

        foreach (string number in numbers)
        {
            Announce(number, deleted: false);
        }
    }

    /// <summary>Tells every other element that <paramref name="dn"/> was added here (with its secondary) or deleted.</summary>
    public void Announce(string dn, bool deleted)
    {
        List<(string Address, int Port)> peers = new();
        RegistrationMessage update;
        lock (_databaseGate)
        {
            int local = _forms.ClusterDirectory.LocalCeidIndex();
            (int Primary, int? Secondary)? homes = _forms.ClusterDirectory.RemoteHomes(dn);
            update = RegistrationMessage.RdnUpdate(dn, local, homes?.Secondary ?? 0, deleted);
            foreach ((int ceid, string _, bool isLocal, string address, int port, string _) in _forms.ClusterDirectory.ListElements())
            {
                if (!isLocal && address.Length > 0 && port > 0 && ceid != local)
                {
                    peers.Add((address, port));
                }
            }
        }

        byte[] frame = RegistrationCodec.Encode(update);
        lock (_pending)
        {
            _pending.RemoveAll(t => t.IsCompleted);
            foreach ((string address, int port) in peers)
            {
                _pending.Add(Deliver(address, port, frame));
            }
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        Task[] pending;
        lock (_pending)
        {
            pending = _pending.ToArray();
        }

        try
        {
            Task.WaitAll(pending, TimeSpan.FromSeconds(2));
        }
        catch (AggregateException)
        {
            // Cancelled deliveries: nothing to report at shutdown.
        }

        _stop.Dispose();
    }

    private async Task Deliver(string address, int port, byte[] frame)
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                using TcpClient client = new();
                using CancellationTokenSource timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
                timeout.CancelAfter(TimeSpan.FromSeconds(2));
                await client.ConnectAsync(address, port, timeout.Token).ConfigureAwait(false);
                if (_tls != null)
                {
                    TlsClientOptions trust = _tls;
                    await using SslStream ssl = new(client.GetStream(), false, (_, certificate, _, errors) => trust.Refusal(certificate, errors, address) == null);
                    await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = address }, timeout.Token).ConfigureAwait(false);
                    await ssl.WriteAsync(frame, timeout.Token).ConfigureAwait(false);
                    await ssl.ShutdownAsync().ConfigureAwait(false);
                }
                else
                {
                    await client.GetStream().WriteAsync(frame, timeout.Token).ConfigureAwait(false);
                }

                Interlocked.Increment(ref _delivered);
                return;
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException or System.IO.IOException or System.Security.Authentication.AuthenticationException)
            {
                if (_stop.IsCancellationRequested)
                {
                    return;
                }
            }

            try
            {
                await Task.Delay(RetryInterval, _stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
