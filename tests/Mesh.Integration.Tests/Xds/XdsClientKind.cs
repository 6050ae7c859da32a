namespace Mesh.Integration.Tests.Xds;

/// <summary>Which real proxyless gRPC client drives the calls.</summary>
public enum XdsClientKind
{
    /// <summary>@grpc/grpc-js-xds 1.14.1 on Node (tests/xds-clients/client.js).</summary>
    GrpcJs,

    /// <summary>gRPC C-core 1.51 through Debian's python3-grpcio (tests/xds-clients/client.py).</summary>
    CCore,
}

/// <summary>MemberData for a [Theory] that runs once per client: <c>[MemberData(nameof(XdsClientKinds.All), MemberType = typeof(XdsClientKinds))]</c>.</summary>
public static class XdsClientKinds
{
    public static TheoryData<XdsClientKind> All => new() { XdsClientKind.GrpcJs, XdsClientKind.CCore };
}
