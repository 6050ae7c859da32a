using System.Text;

namespace Mesh.Sidecar.Tests.Health;

/// <summary>What the test servers of the health tests read: an HTTP/1.1 request's head, as it came.</summary>
internal static class RawHttpRequest
{
    /// <summary>Reads until the blank line that ends the head (or the peer closes).</summary>
    public static async Task<string> ReadHead(Stream stream)
    {
        var buffer = new byte[4096];
        var received = new StringBuilder();
        while (!received.ToString().Contains("\r\n\r\n"))
        {
            var read = await stream.ReadAsync(buffer);
            if (read == 0) break;
            received.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }
        return received.ToString();
    }
}
