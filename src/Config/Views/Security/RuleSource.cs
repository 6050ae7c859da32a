using System.Text.Json.Nodes;

namespace Mesh.Config.Views.Security;

/// <summary>Istio's <c>Source</c>: who sends the request. Every list is a field and its not-form; empty is no constraint.</summary>
public sealed record RuleSource
{
    public IReadOnlyList<string> Principals { get; init; } = [];
    public IReadOnlyList<string> NotPrincipals { get; init; } = [];
    public IReadOnlyList<string> ServiceAccounts { get; init; } = [];
    public IReadOnlyList<string> NotServiceAccounts { get; init; } = [];
    public IReadOnlyList<string> Namespaces { get; init; } = [];
    public IReadOnlyList<string> NotNamespaces { get; init; } = [];
    public IReadOnlyList<string> RequestPrincipals { get; init; } = [];
    public IReadOnlyList<string> NotRequestPrincipals { get; init; } = [];
    public IReadOnlyList<string> IpBlocks { get; init; } = [];
    public IReadOnlyList<string> NotIpBlocks { get; init; } = [];
    public IReadOnlyList<string> RemoteIpBlocks { get; init; } = [];
    public IReadOnlyList<string> NotRemoteIpBlocks { get; init; } = [];

    public static RuleSource From(JsonObject source) => new()
    {
        Principals = source.Strings("principals"),
        NotPrincipals = source.Strings("notPrincipals"),
        ServiceAccounts = source.Strings("serviceAccounts"),
        NotServiceAccounts = source.Strings("notServiceAccounts"),
        Namespaces = source.Strings("namespaces"),
        NotNamespaces = source.Strings("notNamespaces"),
        RequestPrincipals = source.Strings("requestPrincipals"),
        NotRequestPrincipals = source.Strings("notRequestPrincipals"),
        IpBlocks = source.Strings("ipBlocks"),
        NotIpBlocks = source.Strings("notIpBlocks"),
        RemoteIpBlocks = source.Strings("remoteIpBlocks"),
        NotRemoteIpBlocks = source.Strings("notRemoteIpBlocks"),
    };
}

/// <summary>Istio's <c>Operation</c>: what the request does. Every list is a field and its not-form; empty is no constraint.</summary>
public sealed record RuleOperation
{
    public IReadOnlyList<string> Hosts { get; init; } = [];
    public IReadOnlyList<string> NotHosts { get; init; } = [];
    public IReadOnlyList<string> Ports { get; init; } = [];
    public IReadOnlyList<string> NotPorts { get; init; } = [];
    public IReadOnlyList<string> Methods { get; init; } = [];
    public IReadOnlyList<string> NotMethods { get; init; } = [];
    public IReadOnlyList<string> Paths { get; init; } = [];
    public IReadOnlyList<string> NotPaths { get; init; } = [];

    public static RuleOperation From(JsonObject operation) => new()
    {
        Hosts = operation.Strings("hosts"),
        NotHosts = operation.Strings("notHosts"),
        Ports = operation.Strings("ports"),
        NotPorts = operation.Strings("notPorts"),
        Methods = operation.Strings("methods"),
        NotMethods = operation.Strings("notMethods"),
        Paths = operation.Strings("paths"),
        NotPaths = operation.Strings("notPaths"),
    };
}
