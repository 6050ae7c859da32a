using System.Security.Cryptography;
using System.Text;

namespace Mesh.Grains.Security;

/// <summary>Encrypts private keys for grain storage with AES-256-GCM (nonce | tag | ciphertext), bound to what the
/// key is for, so that a stored key cannot be swapped for another stored blob.</summary>
internal sealed class KeyProtector(byte[] key)
{
    private const int NonceSize = 12;
    private const int TagSize = 16;

    public byte[] Protect(byte[] plaintext, string purpose)
    {
        Require();
        var output = new byte[NonceSize + TagSize + plaintext.Length];
        var nonce = output.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(key, TagSize);
        aes.Encrypt(nonce, plaintext, output.AsSpan(NonceSize + TagSize), output.AsSpan(NonceSize, TagSize), Encoding.UTF8.GetBytes(purpose));
        return output;
    }

    /// <exception cref="InvalidOperationException">The blob was not encrypted with this key (a wrong key file).</exception>
    public byte[] Unprotect(byte[] blob, string purpose)
    {
        Require();
        if (blob.Length < NonceSize + TagSize) throw new InvalidOperationException($"The stored {purpose} key is truncated.");
        var plaintext = new byte[blob.Length - NonceSize - TagSize];
        using var aes = new AesGcm(key, TagSize);
        try
        {
            aes.Decrypt(blob.AsSpan(0, NonceSize), blob.AsSpan(NonceSize + TagSize), blob.AsSpan(NonceSize, TagSize), plaintext, Encoding.UTF8.GetBytes(purpose));
        }
        catch (AuthenticationTagMismatchException)
        {
            throw new InvalidOperationException(
                $"The stored {purpose} key cannot be decrypted with this silo's CA encryption key: every silo must use the same --ca-encryption-key-file.");
        }
        return plaintext;
    }

    private void Require()
    {
        if (key.Length != 32) throw new InvalidOperationException("The CA encryption key is not set (it must be 32 bytes); pass --ca-encryption-key-file.");
    }
}
