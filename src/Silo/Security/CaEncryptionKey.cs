using System.Security.Cryptography;
using Mesh.Silo.Hosting;

namespace Mesh.Silo.Security;

/// <summary>Finds the 256-bit key that encrypts the CA's private keys at rest: a file (a mounted Kubernetes Secret:
/// 32 raw bytes, or their base64 or hex), given by <c>--ca-encryption-key-file</c>. The embedded silo makes one in its
/// data folder on first start (readable by its user only); a cluster must be given one, the same on every silo.</summary>
public static class CaEncryptionKey
{
    public const string DefaultFileName = "ca-encryption.key";

    /// <exception cref="InvalidOperationException">No usable key, with what to do.</exception>
    public static byte[] Resolve(MeshOptions mesh)
    {
        var file = mesh.Ca.EncryptionKeyFile;
        if (string.IsNullOrWhiteSpace(file))
        {
            if (mesh.UsesRedis)
            {
                throw new InvalidOperationException(
                    "A cluster needs a CA encryption key shared by every silo: create one with 'head -c 32 /dev/urandom | base64 > ca.key' " +
                    "and pass --ca-encryption-key-file ca.key (in Kubernetes, mount it from a Secret).");
            }
            file = Path.Combine(mesh.DataDir, DefaultFileName);
            if (!File.Exists(file))
            {
                Directory.CreateDirectory(mesh.DataDir);
                File.WriteAllText(file, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) + "\n");
                if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }
        }
        if (!File.Exists(file)) throw new InvalidOperationException($"The CA encryption key file '{file}' does not exist.");
        return Parse(File.ReadAllBytes(file), file);
    }

    /// <summary>32 raw bytes, or 32 bytes as base64 or hex text.</summary>
    public static byte[] Parse(byte[] content, string file)
    {
        if (content.Length == 32) return content;
        var text = System.Text.Encoding.ASCII.GetString(content).Trim();
        try
        {
            var key = text.Length == 64 && text.All(Uri.IsHexDigit) ? Convert.FromHexString(text) : Convert.FromBase64String(text);
            if (key.Length == 32) return key;
        }
        catch (FormatException)
        {
        }
        throw new InvalidOperationException($"The CA encryption key file '{file}' must hold 32 bytes (raw, base64 or hex); make one with 'head -c 32 /dev/urandom | base64'.");
    }
}
