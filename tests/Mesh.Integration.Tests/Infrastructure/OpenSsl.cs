using System.Diagnostics;

namespace Mesh.Integration.Tests.Infrastructure;

/// <summary>Certificates made as a user makes them, with the openssl command line: a CA of the test's own and leaf
/// certificates it signs (P-256 keys, valid for a day). Files land in <paramref name="directory"/>.</summary>
public sealed class OpenSsl(string directory, string caName = "edge-test-ca")
{
    private bool _caMade;

    public string CaCert => Path.Combine(directory, $"{caName}.crt");
    public string CaKey => Path.Combine(directory, $"{caName}.key");

    /// <summary>A certificate for <paramref name="hosts"/> (the first one is also its common name), signed by this CA.</summary>
    public async Task<(string Cert, string Key)> Server(string name, params string[] hosts) =>
        await Leaf(name, hosts[0], $"subjectAltName={string.Join(',', hosts.Select(h => $"DNS:{h}"))}\nextendedKeyUsage=serverAuth\n");

    /// <summary>A client certificate with common name <paramref name="name"/>, signed by this CA.</summary>
    public async Task<(string Cert, string Key)> Client(string name) => await Leaf(name, name, "extendedKeyUsage=clientAuth\n");

    /// <summary>The SHA-256 fingerprint openssl prints for a certificate file (<c>AB:CD:...</c>).</summary>
    public static async Task<string> Fingerprint(string certFile)
    {
        var output = await Run("x509", "-in", certFile, "-noout", "-fingerprint", "-sha256");
        return output.Trim().Split('=', 2)[1];
    }

    /// <summary>The certificate a TLS server presents for <paramref name="serverName"/> (SNI), as <c>openssl s_client</c>
    /// receives it, by fingerprint; null when the handshake fails.</summary>
    public static async Task<string?> PresentedFingerprint(int port, string serverName, string? clientCert = null, string? clientKey = null)
    {
        string[] client = clientCert is null ? [] : ["-cert", clientCert, "-key", clientKey!];
        var (code, output) = await Exec("sh", ["-c", $"openssl s_client -connect 127.0.0.1:{port} -servername {serverName} {string.Join(' ', client)} </dev/null 2>/dev/null | openssl x509 -noout -fingerprint -sha256"]);
        return code == 0 && output.Contains('=') ? output.Trim().Split('=', 2)[1] : null;
    }

    private async Task<(string Cert, string Key)> Leaf(string name, string commonName, string extensions)
    {
        await EnsureCa();
        var (cert, key, csr, ext) = (File(name, "crt"), File(name, "key"), File(name, "csr"), File(name, "ext"));
        await System.IO.File.WriteAllTextAsync(ext, extensions);
        await Run("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", key, "-out", csr, "-subj", $"/CN={commonName}");
        await Run("x509", "-req", "-in", csr, "-CA", CaCert, "-CAkey", CaKey, "-CAcreateserial", "-out", cert, "-days", "1", "-extfile", ext);
        return (cert, key);
    }

    private async Task EnsureCa()
    {
        if (_caMade) return;
        await Run("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", CaKey, "-out", CaCert,
            "-subj", $"/CN={caName}", "-days", "1");
        _caMade = true;
    }

    private string File(string name, string extension) => Path.Combine(directory, $"{name}.{extension}");

    private static async Task<string> Run(params string[] arguments)
    {
        var (code, output) = await Exec("openssl", arguments);
        return code == 0 ? output : throw new InvalidOperationException($"openssl {string.Join(' ', arguments)} exited {code}: {output}");
    }

    private static async Task<(int Code, string Output)> Exec(string file, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().Within(TimeSpan.FromSeconds(30), $"{file} {string.Join(' ', arguments)}");
        return (process.ExitCode, await output + await error);
    }
}
