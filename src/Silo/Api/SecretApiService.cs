using Grpc.Core;
using Mesh.Api.V1;
using Mesh.Config.Validation.Rules;
using Mesh.Grains.Audit;
using Mesh.Grains.Secrets;
using Mesh.Silo.Access;
using Mesh.Silo.Audit;

namespace Mesh.Silo.Api;

/// <summary>Gateway credentials (<c>mesh.v1.SecretService</c>): written as config is (an admin, or an editor of the
/// namespace; audited, without key material), read as info only (<see cref="SecretMapper"/>).</summary>
public sealed class SecretApiService(IGrainFactory grains, AuditTrail audit, TimeProvider time) : SecretService.SecretServiceBase
{
    private const string Kind = "Secret";

    public override async Task<CreateSecretResponse> Create(CreateSecretRequest request, ServerCallContext context)
    {
        var attempt = audit.Begin(context, "create-secret", dryRun: false);
        var @namespace = string.IsNullOrEmpty(request.Namespace) ? "default" : request.Namespace;
        try
        {
            Admit(attempt, "write secrets", @namespace, request.Name);
            var credential = new TlsCredential(request.TlsCrt, request.TlsKey, request.CaCrt);
            var put = await Settle(attempt, @namespace, request.Name, "stored",
                () => grains.GetGrain<ISecretGrain>(SecretKeys.Of(@namespace, request.Name)).Put(credential), context);
            if (put.Info is not { } info)
            {
                var issues = put.Problems.Select(p => new FieldIssue { Resource = $"{Kind} {@namespace}/{request.Name}", Path = p.Field, Reason = p.Reason }).ToList();
                attempt.Add(AuditOutcome.Invalid, Kind, @namespace, request.Name, detail: string.Join("; ", issues.Select(i => i.Display())));
                throw ApiErrors.Invalid(issues);
            }
            attempt.Add(AuditOutcome.Applied, Kind, @namespace, request.Name, info.Version, Describe(info, put.Created ? "created" : "replaced"));
            return new CreateSecretResponse { Secret = SecretMapper.ToApi(info), Created = put.Created };
        }
        finally
        {
            await attempt.Complete();
        }
    }

    public override async Task<Secret> Get(GetSecretRequest request, ServerCallContext context)
    {
        var (@namespace, name) = Target(request.Namespace, request.Name);
        var info = await grains.GetGrain<ISecretGrain>(SecretKeys.Of(@namespace, name)).Get()
            ?? throw ApiErrors.NotFound(NotFound(@namespace, name));
        return SecretMapper.ToApi(info);
    }

    public override async Task<ListSecretsResponse> List(ListSecretsRequest request, ServerCallContext context)
    {
        var namespaces = request.Namespace.Length > 0 ? [ConfigApiService.RequireNamespace(request.Namespace)]
            : await grains.GetGrain<ISecretDirectoryGrain>(ISecretDirectoryGrain.Namespaces).ListNamespaces();
        var lists = await Task.WhenAll(namespaces.Select(ns => grains.GetGrain<ISecretDirectoryGrain>(ns).List()));
        var response = new ListSecretsResponse();
        response.Secrets.Add(lists.SelectMany(list => list).Select(SecretMapper.ToApi));
        return response;
    }

    public override async Task<Secret> Delete(DeleteSecretRequest request, ServerCallContext context)
    {
        var attempt = audit.Begin(context, "delete-secret", dryRun: false);
        var @namespace = string.IsNullOrEmpty(request.Namespace) ? "default" : request.Namespace;
        try
        {
            Admit(attempt, "delete", @namespace, request.Name);
            var deleted = await Settle(attempt, @namespace, request.Name, "deleted",
                () => grains.GetGrain<ISecretGrain>(SecretKeys.Of(@namespace, request.Name)).Delete(), context);
            if (deleted is null)
            {
                attempt.Add(AuditOutcome.NotFound, Kind, @namespace, request.Name);
                throw ApiErrors.NotFound(NotFound(@namespace, request.Name));
            }
            attempt.Add(AuditOutcome.Deleted, Kind, @namespace, request.Name, deleted.Version, Describe(deleted, "deleted"));
            return SecretMapper.ToApi(deleted);
        }
        finally
        {
            await attempt.Complete();
        }
    }

    /// <summary>The caller may write the namespace, and the names are valid; otherwise refused, and audited so.</summary>
    private static void Admit(WriteAttempt attempt, string verb, string @namespace, string name)
    {
        if (WriteAccess.Check(attempt.User, verb, [@namespace]) is { } denial)
        {
            attempt.Add(AuditOutcome.Denied, Kind, @namespace, name, detail: denial.Message);
            throw ApiErrors.Denied(denial.Message);
        }
        try
        {
            Target(@namespace, name);
        }
        catch (RpcException invalid)
        {
            attempt.Add(AuditOutcome.Invalid, Kind, @namespace, name, detail: invalid.Status.Detail);
            throw;
        }
    }

    private static (string Namespace, string Name) Target(string @namespace, string name)
    {
        var ns = ConfigApiService.RequireNamespace(string.IsNullOrEmpty(@namespace) ? "default" : @namespace);
        if (string.IsNullOrEmpty(name)) throw ApiErrors.Invalid("a secret name is required");
        if (ResourceNames.Dns1123SubdomainProblem(name) is { } problem) throw ApiErrors.Invalid($"secret name \"{ConfigApiService.Truncate(name)}\": {problem}");
        return (ns, name);
    }

    /// <summary>Runs a write again after a cluster fault (both writes are idempotent); a write that never settled
    /// is audited as failed and reported with the command that tells whether it landed.</summary>
    private async Task<T> Settle<T>(WriteAttempt attempt, string @namespace, string name, string verb, Func<Task<T>> write, ServerCallContext context)
    {
        try
        {
            return await WriteRetry.For(time, context.Deadline).Run(write, context.CancellationToken);
        }
        catch (WriteUnsettledException unsettled)
        {
            var message = $"secret {@namespace}/{name} may not be {verb}: {ClusterFault.Reason(unsettled.InnerException ?? unsettled)}; " +
                $"run `meshctl secret get {name} -n {@namespace}` to tell, or try again";
            attempt.Add(AuditOutcome.Failed, Kind, @namespace, name, detail: message);
            throw ApiErrors.Unavailable(message);
        }
        catch (Exception exception) when (exception is not RpcException)
        {
            attempt.Add(AuditOutcome.Failed, Kind, @namespace, name, detail: exception.Message);
            throw;
        }
    }

    /// <summary>The audit detail: what the credential is, never what it holds.</summary>
    private static string Describe(SecretInfo info, string what) =>
        $"{what}: {info.Type} ({string.Join(", ", info.Keys)}), {info.Subject}, sha256 {info.Sha256Fingerprint}, valid until {info.NotAfter:u}";

    private static string NotFound(string @namespace, string name) => $"secret \"{name}\" not found in namespace \"{@namespace}\"";
}
