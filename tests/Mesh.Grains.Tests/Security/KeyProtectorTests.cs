using System.Security.Cryptography;
using Mesh.Grains.Security;

namespace Mesh.Grains.Tests.Security;

public class KeyProtectorTests
{
    private static readonly byte[] Key = RandomNumberGenerator.GetBytes(32);

    [Fact]
    public void A_protected_key_round_trips_and_its_plaintext_is_not_stored()
    {
        var secret = RandomNumberGenerator.GetBytes(121);
        var protector = new KeyProtector(Key);
        var stored = protector.Protect(secret, "mesh-ca-root");
        Assert.Equal(secret, protector.Unprotect(stored, "mesh-ca-root"));
        Assert.DoesNotContain(Convert.ToHexString(secret[..16]), Convert.ToHexString(stored));
    }

    [Fact]
    public void Another_key_cannot_read_it_and_says_which_flag_to_fix()
    {
        var stored = new KeyProtector(Key).Protect([1, 2, 3], "mesh-ca-root");
        var refused = Assert.Throws<InvalidOperationException>(() => new KeyProtector(RandomNumberGenerator.GetBytes(32)).Unprotect(stored, "mesh-ca-root"));
        Assert.Contains("--ca-encryption-key-file", refused.Message);
    }

    [Fact]
    public void A_blob_kept_for_one_purpose_does_not_open_as_another()
    {
        var protector = new KeyProtector(Key);
        var stored = protector.Protect([1, 2, 3], "mesh-ca-token");
        Assert.Throws<InvalidOperationException>(() => protector.Unprotect(stored, "mesh-ca-root"));
    }

    [Fact]
    public void Without_a_key_nothing_is_stored_in_the_clear()
    {
        var refused = Assert.Throws<InvalidOperationException>(() => new KeyProtector([]).Protect([1], "mesh-ca-root"));
        Assert.Contains("--ca-encryption-key-file", refused.Message);
    }
}
