using Mesh.Config.Validation.Fields;
using static Mesh.Config.Validation.Fields.Schema;

namespace Mesh.Config.Validation.Schemas;

/// <summary>networking.istio.io WorkloadGroup: the template from which WorkloadEntries are made for auto-registered VMs.</summary>
internal static class WorkloadGroupSchema
{
    private static readonly ObjectSchema Probe = Obj(
            ("initialDelaySeconds", Int(0)),
            ("timeoutSeconds", Int(0)),
            ("periodSeconds", Int(0)),
            ("successThreshold", Int(0)),
            ("failureThreshold", Int(0)),
            ("httpGet", Obj(
                    ("path", Matching(p => Rules.Http.NoControls(p, "path"))), ("port", Common.Port),
                    ("host", Matching(h => Rules.Http.NoControls(h, "host"))), ("scheme", Enum("HTTP", "HTTPS", "http", "https")),
                    ("httpHeaders", List(Obj(("name", Matching(Rules.Http.StrictHeaderName)), ("value", Matching(Rules.Http.PlainHeaderValue))).Require("name"))))
                .Require("port")),
            ("tcpSocket", Obj(("host", Str), ("port", Common.Port)).Require("port")),
            ("exec", Obj(("command", List(Str).NonEmpty())).Require("command")),
            ("grpc", Obj(("port", Common.Port), ("service", Str)).Require("port")))
        .ExactlyOne("httpGet", "tcpSocket", "exec", "grpc");

    private static readonly ObjectSchema Template = WorkloadEntrySchema.Fields().Rule((template, path, problems) =>
    {
        if (template["address"] is not null) problems.Error(FieldPath.Field(path, "address"), "a template must not set an address; each registered workload brings its own");
    });

    public static ObjectSchema Spec { get; } = Obj(
            ("metadata", Obj(("labels", Common.Labels), ("annotations", Map(Str, Rules.Names.LabelKey)))),
            ("template", Template),
            ("probe", Probe))
        .Require("template");
}
