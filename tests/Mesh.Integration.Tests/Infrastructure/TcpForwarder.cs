using System.Net;
using System.Net.Sockets;

namespace Mesh.Integration.Tests.Infrastructure;

/// <summary>A loopback stand-in for a Kubernetes Service address in front of several silos: each connection goes
/// to the first target that accepts it, so when a silo dies its clients reconnect to the same address and land
/// on a survivor.</summary>
public sealed class TcpForwarder : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly IReadOnlyList<int> _targets;
    private readonly CancellationTokenSource _stop = new();

    public TcpForwarder(IReadOnlyList<int> targets)
    {
        _targets = targets;
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _ = Task.Run(AcceptLoop);
    }

    public int Port { get; }

    private async Task AcceptLoop()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }
            _ = Task.Run(() => Forward(client));
        }
    }

    private async Task Forward(TcpClient client)
    {
        using (client)
        {
            foreach (var port in _targets)
            {
                using var upstream = new TcpClient();
                try
                {
                    await upstream.ConnectAsync(IPAddress.Loopback, port, _stop.Token);
                }
                catch (SocketException)
                {
                    continue;
                }
                var a = client.GetStream();
                var b = upstream.GetStream();
                // When either side closes, close both: the client sees its connection drop, as with a dead pod.
                await Task.WhenAny(Pump(a, b), Pump(b, a));
                return;
            }
        }
    }

    private async Task Pump(NetworkStream from, NetworkStream to)
    {
        try
        {
            await from.CopyToAsync(to, _stop.Token);
        }
        catch (Exception)
        {
            // A reset on either side ends the pair.
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        _stop.Dispose();
    }
}
