using System.Text;
using Mesh.Grains.Secrets;

namespace Mesh.Grains.Tests.Secrets;

[Collection(MeshClusterCollection.Name)]
public sealed class SecretGrainTests(MeshCluster cluster)
{
    private ISecretGrain Secret(string ns, string name) => cluster.Grains.GetGrain<ISecretGrain>(SecretKeys.Of(ns, name));

    private static string StoredText(string key) =>
        string.Join("\n", FaultyStorage.Stored(key).Select(bytes => Encoding.UTF8.GetString(bytes)));

    [Fact]
    public async Task A_stored_credential_keeps_its_key_encrypted_and_gives_it_back_only_to_GetCredential()
    {
        var credential = TestCredentials.Server("shop.example.com");
        var put = await Secret("enc", "shop").Put(credential);

        Assert.Empty(put.Problems);
        Assert.True(put.Created);
        var stored = StoredText("enc/shop");
        Assert.Contains(TestCredentials.BodyLine(credential.CertificateChainPem), stored);
        Assert.DoesNotContain(TestCredentials.BodyLine(credential.PrivateKeyPem), stored);
        Assert.DoesNotContain("PRIVATE KEY", stored);

        Assert.Equal(credential, await Secret("enc", "shop").GetCredential());
        var info = await Secret("enc", "shop").Get();
        Assert.Equal("CN=shop.example.com", info!.Subject);
        Assert.Equal(["shop.example.com"], info.DnsNames);
        Assert.Equal([TlsCredential.CertificateField, TlsCredential.KeyField], info.Keys);
        Assert.Equal(SecretInfo.TlsType, info.Type);
        Assert.Equal(64, info.Sha256Fingerprint.Length);
    }

    [Fact]
    public async Task A_replacement_is_a_new_version_listed_in_its_namespace()
    {
        var first = await Secret("rotate", "api").Put(TestCredentials.Server("api.example.com"));
        var second = await Secret("rotate", "api").Put(TestCredentials.Server("api.example.com", rsa: true));

        Assert.False(second.Created);
        Assert.Equal(2, second.Info!.Version);
        Assert.Equal(first.Info!.Created, second.Info.Created);
        Assert.NotEqual(first.Info.Sha256Fingerprint, second.Info.Sha256Fingerprint);
        var listed = Assert.Single(await cluster.Grains.GetGrain<ISecretDirectoryGrain>("rotate").List());
        Assert.Equal(second.Info.Sha256Fingerprint, listed.Sha256Fingerprint);
        Assert.Contains("rotate", await cluster.Grains.GetGrain<ISecretDirectoryGrain>(ISecretDirectoryGrain.Namespaces).ListNamespaces());
    }

    [Fact]
    public async Task A_deleted_credential_is_gone_from_the_grain_the_directory_and_storage()
    {
        await Secret("gone", "web").Put(TestCredentials.Server());

        var deleted = await Secret("gone", "web").Delete();

        Assert.Equal("web", deleted!.Name);
        Assert.Null(await Secret("gone", "web").Get());
        Assert.Null(await Secret("gone", "web").GetCredential());
        Assert.Empty(await cluster.Grains.GetGrain<ISecretDirectoryGrain>("gone").List());
        Assert.Empty(FaultyStorage.Stored("gone/web"));
        Assert.Null(await Secret("gone", "web").Delete());
    }

    [Fact]
    public async Task An_invalid_credential_is_refused_with_its_field_and_nothing_is_stored()
    {
        var mismatched = TestCredentials.Server() with { PrivateKeyPem = TestCredentials.Server().PrivateKeyPem };

        var put = await Secret("bad", "web").Put(mismatched);

        Assert.Null(put.Info);
        var problem = Assert.Single(put.Problems);
        Assert.Equal(TlsCredential.KeyField, problem.Field);
        Assert.Contains("does not match the certificate", problem.Reason);
        Assert.Null(await Secret("bad", "web").Get());
        Assert.Empty(FaultyStorage.Stored("bad/web"));
    }
}
