using Grpc.Core;
using Mesh.Api.V1;
using Mesh.Config.Kinds;
using Mesh.Grains.Audit;
using Mesh.Grains.Config;
using Mesh.Silo.Access;

namespace Mesh.Silo.Api;

public sealed partial class ConfigApiService
{
    /// <summary>Checks the caller may write to the namespace, then deletes. The outcome goes to the audit trail.</summary>
    public override async Task<ConfigResource> Delete(DeleteRequest request, ServerCallContext context)
    {
        var attempt = audit.Begin(context, "delete", request.DryRun);
        var requested = (
            Kind: ResourceKinds.Resolve(request.Kind)?.Kind ?? request.Kind,
            Namespace: string.IsNullOrEmpty(request.Namespace) ? "default" : request.Namespace,
            Name: request.Name);
        try
        {
            if (WriteAccess.Check(attempt.User, attempt.Verb, [requested.Namespace]) is { } denial)
            {
                attempt.Add(AuditOutcome.Denied, requested.Kind, requested.Namespace, requested.Name, detail: denial.Message);
                throw ApiErrors.Denied(denial.Message);
            }
            (ResourceKind Kind, string Namespace, string Name) target;
            long? expected;
            try
            {
                target = Target(request.Kind, request.Namespace, request.Name);
                expected = ParseResourceVersion(request.ExpectedResourceVersion, "expectedResourceVersion");
            }
            catch (RpcException invalid)
            {
                attempt.Add(AuditOutcome.Invalid, requested.Kind, requested.Namespace, requested.Name, detail: invalid.Status.Detail);
                throw;
            }
            var (kind, ns, name) = target;
            var grain = grains.Config(kind.Kind, ns, name);
            var retry = WriteRetry.For(time, context.Deadline);
            WriteResult result;
            try
            {
                // The grain refuses a resource the Kubernetes source stored (OwnedByKubernetes), in the same turn as the delete.
                result = await retry.Run(() => grain.Delete(expected, request.DryRun, fromKubernetesSource: false), context.CancellationToken);
                if (result.Outcome == WriteOutcome.NotFound && retry.MayHaveLanded)
                {
                    // An earlier attempt may be what deleted it: its history tells whether the last change was a deletion.
                    var history = await retry.Run(grain.History, context.CancellationToken);
                    result = WriteSettlement.Delete(result, history.Count > 0 ? history[0] : null, expected, mayHaveLanded: true);
                }
            }
            catch (WriteUnsettledException unsettled)
            {
                var error = ApiErrors.WriteUnsettled(kind, ns, name, delete: true, unsettled);
                attempt.Add(AuditOutcome.Failed, kind.Kind, ns, name, detail: error.Status.Detail);
                throw error;
            }
            catch (Exception exception)
            {
                attempt.Add(AuditOutcome.Failed, kind.Kind, ns, name, detail: exception.Message);
                throw;
            }
            switch (result.Outcome)
            {
                case WriteOutcome.NotFound:
                    attempt.Add(AuditOutcome.NotFound, kind.Kind, ns, name);
                    throw ApiErrors.NotFound(NotFoundMessage(kind, ns, name));
                case WriteOutcome.OwnedByKubernetes:
                    var refusal = KubernetesOwnership.Refusal(kind, ns, name, delete: true);
                    attempt.Add(AuditOutcome.Denied, kind.Kind, ns, name, detail: refusal);
                    throw ApiErrors.NotOwned(refusal);
                case WriteOutcome.Conflict:
                    var message = ConflictMessage(kind, ns, name, expected!.Value, result.CurrentResourceVersion);
                    attempt.Add(AuditOutcome.Conflict, kind.Kind, ns, name, result.CurrentResourceVersion, message);
                    throw ApiErrors.Conflict(message);
                default:
                    attempt.Add(AuditOutcome.Deleted, kind.Kind, ns, name, result.CurrentResourceVersion);
                    return ResourceMapper.ToApi(result.Config!);
            }
        }
        finally
        {
            await attempt.Complete();
        }
    }
}
