#!/usr/bin/env bash
# Renders the Kubernetes manifests and checks what Mesh depends on.  No cluster needed.
#   bash deploy/test-render.sh            (from anywhere; paths are relative to the repo)
# Exit 0 when every check passes, 1 when one fails (each failure is printed), 2 when a tool
# is missing.  Without kubectl the script says SKIP and exits 0, unless REQUIRE_KUBECTL=1.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo_root"

KUBECTL="${KUBECTL:-kubectl}"
if ! command -v "$KUBECTL" >/dev/null 2>&1; then
  if [[ "${REQUIRE_KUBECTL:-0}" == 1 ]]; then
    echo "deploy-render: kubectl not found" >&2
    exit 2
  fi
  echo "deploy-render: SKIP (kubectl not found; set REQUIRE_KUBECTL=1 to make this a failure)"
  exit 0
fi

# Debian's python3 has PyYAML (python3-yaml); a pyenv python3 first on PATH may not.
PY=""
for candidate in /usr/bin/python3 python3; do
  if command -v "$candidate" >/dev/null 2>&1 && "$candidate" -c 'import yaml' 2>/dev/null; then
    PY="$candidate"
    break
  fi
done
if [[ -z "$PY" ]]; then
  echo "deploy-render: no python3 with PyYAML (apt-get install python3-yaml)" >&2
  exit 2
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

render_failed=0
for target in deploy/k8s deploy/overlays/dev deploy/overlays/sentinel; do
  out="$work/$(echo "$target" | tr '/' '_').yaml"
  if ! "$KUBECTL" kustomize "$target" >"$out" 2>"$work/err"; then
    echo "FAIL: kubectl kustomize $target did not render:"
    sed 's/^/  /' "$work/err"
    render_failed=1
  fi
done
if [[ "$render_failed" == 1 ]]; then
  echo "deploy-render: 0 passed, 1 failed"
  exit 1
fi

exec "$PY" - "$work/deploy_k8s.yaml" "$work/deploy_overlays_dev.yaml" deploy/helm/mesh "$work/deploy_overlays_sentinel.yaml" <<'PYEOF'
import os, re, sys, yaml

base_file, dev_file, chart_dir, sentinel_file = sys.argv[1:5]
passed, failed = 0, []

def check(name, ok, detail=""):
    global passed
    if ok:
        passed += 1
    else:
        failed.append(f"{name}{': ' + detail if detail else ''}")

def load(path):
    with open(path) as f:
        return [d for d in yaml.safe_load_all(f) if d]

def find(docs, kind, name=None):
    return [d for d in docs if d.get("kind") == kind and (name is None or d["metadata"]["name"] == name)]

def one(docs, kind, name):
    found = find(docs, kind, name)
    check(f"{kind}/{name} exists", len(found) == 1, f"found {len(found)}")
    return found[0] if found else None

def matches(selector, labels):
    return bool(selector) and all(labels.get(k) == v for k, v in selector.items())

# ---- base -------------------------------------------------------------------------------
docs = load(base_file)
NS = "mesh-system"

check("Namespace mesh-system exists", bool(find(docs, "Namespace", NS)))
CLUSTER_SCOPED = {"Namespace", "CustomResourceDefinition", "ClusterRole", "ClusterRoleBinding",
                  "MutatingWebhookConfiguration", "ValidatingWebhookConfiguration"}
for d in docs:
    if d["kind"] not in CLUSTER_SCOPED:
        check(f"{d['kind']}/{d['metadata']['name']} is in {NS}", d["metadata"].get("namespace") == NS,
              str(d["metadata"].get("namespace")))
check("base ships no Secret", not find(docs, "Secret"), "secrets must be created by the operator")

sts = one(docs, "StatefulSet", "mesh")
if sts is None:
    print("FAIL: StatefulSet/mesh missing; nothing else to check")
    sys.exit(1)
spec, pod = sts["spec"], sts["spec"]["template"]["spec"]
tmpl_labels = sts["spec"]["template"]["metadata"].get("labels", {})
check("StatefulSet has 3 replicas", spec.get("replicas") == 3, str(spec.get("replicas")))
check("podManagementPolicy Parallel", spec.get("podManagementPolicy") == "Parallel")
check("StatefulSet selector matches its pod template", matches(spec["selector"]["matchLabels"], tmpl_labels))
check("pod label orleans/serviceId", tmpl_labels.get("orleans/serviceId") == "mesh")
check("pod label orleans/clusterId", tmpl_labels.get("orleans/clusterId") == "mesh")
check("terminationGracePeriodSeconds 40", pod.get("terminationGracePeriodSeconds") == 40)

containers = pod.get("containers", [])
check("one container", len(containers) == 1, str(len(containers)))
c = containers[0]
check("image ghcr.io/mesh/mesh-silo", c.get("image", "").startswith("ghcr.io/mesh/mesh-silo:"), c.get("image"))
ports = {p["name"]: p["containerPort"] for p in c.get("ports", [])}
for port in (11111, 30000, 15012, 15014, 15017, 15020, 15080):
    check(f"container port {port}", port in ports.values())
check("no container port 15010 (plaintext xDS is served on loopback only)", 15010 not in ports.values())

def resolve(port):
    return ports.get(port, port) if isinstance(port, str) else port

for probe, path in (("readinessProbe", "/readyz"), ("livenessProbe", "/healthz"), ("startupProbe", None)):
    p = c.get(probe) or {}
    get = p.get("httpGet") or {}
    check(f"{probe} is an HTTP GET on 15014", resolve(get.get("port")) == 15014, str(get))
    if path:
        check(f"{probe} path {path}", get.get("path") == path, str(get.get("path")))

env = {e["name"]: e for e in c.get("env", [])}
def field_ref(name):
    return ((env.get(name) or {}).get("valueFrom") or {}).get("fieldRef", {}).get("fieldPath")
for name, path in (("POD_NAME", "metadata.name"), ("POD_NAMESPACE", "metadata.namespace"),
                   ("POD_IP", "status.podIP"), ("Mesh__AdvertisedAddress", "status.podIP")):
    check(f"env {name} from downward API {path}", field_ref(name) == path, str(field_ref(name)))
check("env ORLEANS_SERVICE_ID from the orleans/serviceId label",
      field_ref("ORLEANS_SERVICE_ID") == "metadata.labels['orleans/serviceId']")
check("env ORLEANS_CLUSTER_ID from the orleans/clusterId label",
      field_ref("ORLEANS_CLUSTER_ID") == "metadata.labels['orleans/clusterId']")
check("env Mesh__Store=redis", (env.get("Mesh__Store") or {}).get("value") == "redis")
redis_ref = ((env.get("Mesh__Redis") or {}).get("valueFrom") or {}).get("secretKeyRef") or {}
check("Redis address from secretKeyRef mesh-redis/address",
      redis_ref.get("name") == "mesh-redis" and redis_ref.get("key") == "address", str(redis_ref))
check("Mesh__Redis has no literal value", "value" not in (env.get("Mesh__Redis") or {}))
check("env Mesh__Api__Address=0.0.0.0", (env.get("Mesh__Api__Address") or {}).get("value") == "0.0.0.0")
xds_address = (env.get("Mesh__Xds__Address") or {}).get("value", "127.0.0.1")
check("Mesh__Xds__Address unset or loopback (plaintext xDS stays off the network)",
      xds_address in ("127.0.0.1", "localhost", "::1"), xds_address)
check("env Mesh__Xds__SecureAddress=0.0.0.0 (mTLS xDS reachable through the Service)",
      (env.get("Mesh__Xds__SecureAddress") or {}).get("value") == "0.0.0.0")
svc_names = [s["metadata"]["name"] for s in find(docs, "Service") if any(p["port"] == 15012 for p in s["spec"].get("ports", []))]
server_name = (env.get("Mesh__Xds__ServerNames__0") or {}).get("value")
check("env Mesh__Xds__ServerNames__0 is the 15012 Service's <name>.<namespace>.svc",
      len(svc_names) == 1 and server_name == f"{svc_names[0]}.{NS}.svc", f"{server_name} vs {svc_names}")
trust_domain = (env.get("Mesh__Ca__TrustDomain") or {}).get("value", "cluster.local")
check("trust domain cluster.local", trust_domain == "cluster.local", trust_domain)
ca_key_file = (env.get("Mesh__Ca__EncryptionKeyFile") or {}).get("value", "")
check("env Mesh__Ca__EncryptionKeyFile (required with --store redis)",
      ca_key_file == "/etc/mesh/ca/ca-encryption.key", ca_key_file)
check("env Mesh__MonitoringAddress=0.0.0.0 (probes reach the pod IP)", (env.get("Mesh__MonitoringAddress") or {}).get("value") == "0.0.0.0")
token_file = (env.get("Mesh__Api__TokenFile") or {}).get("value", "")
check("env Mesh__Api__TokenFile", token_file == "/var/run/secrets/mesh/token/token", token_file)
profile = (env.get("Mesh__Membership__Profile") or {}).get("value")
check("membership profile production", profile == "production", str(profile))

volumes = {v["name"]: v for v in pod.get("volumes", [])}
mounts = {m["mountPath"]: m for m in c.get("volumeMounts", [])}
token_mount = mounts.get(os.path.dirname(token_file))
token_vol = volumes.get(token_mount["name"]) if token_mount else None
check("API token file is mounted from Secret mesh-api-token",
      bool(token_vol) and (token_vol.get("secret") or {}).get("secretName") == "mesh-api-token"
      and any(i.get("path") == os.path.basename(token_file) for i in token_vol["secret"].get("items", [{"path": "token"}])),
      str(token_vol))
ca_mount = mounts.get(os.path.dirname(ca_key_file))
ca_vol = volumes.get(ca_mount["name"]) if ca_mount else None
check("CA encryption key is mounted read-only from Secret mesh-ca-key",
      bool(ca_vol) and ca_mount.get("readOnly") is True and (ca_vol.get("secret") or {}).get("secretName") == "mesh-ca-key"
      and any(i.get("key") == "ca-encryption.key" and i.get("path") == os.path.basename(ca_key_file)
              for i in ca_vol["secret"].get("items", [{"key": "ca-encryption.key", "path": "ca-encryption.key"}])),
      str(ca_vol))
certs_dir = (env.get("Mesh__Ca__CertsDir") or {}).get("value")
check("Mesh__Ca__CertsDir, when set, is a mounted volume", certs_dir is None or certs_dir in mounts, str(certs_dir))
tmp = volumes.get((mounts.get("/tmp") or {}).get("name"))
check("/tmp is an emptyDir", bool(tmp) and "emptyDir" in tmp)

psc, csc = pod.get("securityContext") or {}, c.get("securityContext") or {}
check("runAsNonRoot", psc.get("runAsNonRoot") is True or csc.get("runAsNonRoot") is True)
check("readOnlyRootFilesystem", csc.get("readOnlyRootFilesystem") is True)
check("allowPrivilegeEscalation false", csc.get("allowPrivilegeEscalation") is False)

res = c.get("resources") or {}
check("requests cpu 500m", (res.get("requests") or {}).get("cpu") == "500m")
check("requests memory 512Mi", (res.get("requests") or {}).get("memory") == "512Mi")
check("limits memory set", bool((res.get("limits") or {}).get("memory")))

anti = ((pod.get("affinity") or {}).get("podAntiAffinity") or {})
terms = anti.get("preferredDuringSchedulingIgnoredDuringExecution") or anti.get("requiredDuringSchedulingIgnoredDuringExecution") or []
check("pod anti-affinity present", bool(terms))
check("anti-affinity on kubernetes.io/hostname selects the silos",
      any((t.get("podAffinityTerm", t)).get("topologyKey") == "kubernetes.io/hostname"
          and matches((t.get("podAffinityTerm", t)).get("labelSelector", {}).get("matchLabels"), tmpl_labels)
          for t in terms))
tsc = pod.get("topologySpreadConstraints") or []
check("topologySpreadConstraints on hostname",
      any(t.get("topologyKey") == "kubernetes.io/hostname" and matches(t["labelSelector"]["matchLabels"], tmpl_labels) for t in tsc))

pdb = one(docs, "PodDisruptionBudget", "mesh")
if pdb:
    check("PDB maxUnavailable 1", pdb["spec"].get("maxUnavailable") == 1)
    check("PDB selects the silos", matches(pdb["spec"]["selector"]["matchLabels"], tmpl_labels))

def service_ports(svc):
    return {p["port"]: p for p in svc["spec"].get("ports", [])}

svc = one(docs, "Service", "mesh")
if svc:
    sp = service_ports(svc)
    check("Service mesh is ClusterIP", svc["spec"].get("type", "ClusterIP") == "ClusterIP")
    check("Service mesh selects the silos", matches(svc["spec"].get("selector"), tmpl_labels))
    for port in (15012, 15020, 15080):
        check(f"Service mesh port {port}", port in sp)
        if port in sp:
            check(f"Service mesh port {port} targets container port {port}",
                  resolve(sp[port].get("targetPort", port)) == port, str(sp[port].get("targetPort")))
    check("Service mesh has no plaintext xDS port 15010", 15010 not in sp)
    check("Service mesh port 15020 appProtocol grpc", (sp.get(15020) or {}).get("appProtocol") == "grpc")
    check("Service mesh port 15012 (mTLS to the silo) has no appProtocol grpc",
          (sp.get(15012) or {}).get("appProtocol") != "grpc", str((sp.get(15012) or {}).get("appProtocol")))

hl = one(docs, "Service", "mesh-headless")
if hl:
    check("mesh-headless is headless", hl["spec"].get("clusterIP") == "None")
    check("StatefulSet serviceName is mesh-headless", spec.get("serviceName") == "mesh-headless")
    check("mesh-headless selects the silos", matches(hl["spec"].get("selector"), tmpl_labels))

metrics = [s for s in find(docs, "Service") if 15014 in service_ports(s)]
check("a Service exposes 15014", len(metrics) == 1, str(len(metrics)))
if metrics:
    ann = metrics[0]["metadata"].get("annotations") or {}
    check("metrics Service has prometheus scrape annotations",
          ann.get("prometheus.io/scrape") == "true" and ann.get("prometheus.io/port") == "15014", str(ann))
    check("metrics Service selects the silos", matches(metrics[0]["spec"].get("selector"), tmpl_labels))

sa_name = pod.get("serviceAccountName")
check("StatefulSet uses ServiceAccount mesh", sa_name == "mesh" and bool(find(docs, "ServiceAccount", "mesh")))
roles = find(docs, "Role")
verbs_needed = {"get", "list", "watch", "delete", "patch"}
pod_role = None
for r in roles:
    for rule in r.get("rules", []):
        if "" in rule.get("apiGroups", []) and "pods" in rule.get("resources", []) and verbs_needed <= set(rule.get("verbs", [])):
            pod_role = r
check("Role grants get/list/watch/delete/patch on pods", pod_role is not None)
if pod_role:
    bound = [b for b in find(docs, "RoleBinding")
             if b["roleRef"]["kind"] == "Role" and b["roleRef"]["name"] == pod_role["metadata"]["name"]
             and any(s["kind"] == "ServiceAccount" and s["name"] == sa_name and s.get("namespace") == NS for s in b.get("subjects", []))]
    check("RoleBinding binds that Role to the silos' ServiceAccount", bool(bound))

# ---- Kubernetes: CRDs, the silos' ClusterRole, the admission webhooks --------------------
# The kinds come from Mesh's own table (src/Config/Kinds/ResourceKinds.cs), not from the manifests under test.
kinds_src = open("src/Config/Kinds/ResourceKinds.cs").read()
consts = dict(re.findall(r'private const string (\w+) = "([^"]+)";', kinds_src))
arrays = {n: re.findall(r'"([^"]+)"', body) for n, body in re.findall(r'private static readonly string\[\] (\w+) = \[([^\]]*)\];', kinds_src)}
kinds = []
for kind, group, plural, versions in re.findall(r'new\(KindNames\.(\w+),\s*(\w+|"[^"]+"),\s*"([^"]+)",\s*\[[^\]]*\],\s*(\w+|\[[^\]]*\])', kinds_src):
    group = group.strip('"') if group.startswith('"') else consts[group]
    versions = arrays[versions] if versions in arrays else re.findall(r'"([^"]+)"', versions)
    kinds.append((kind, group, plural, versions))
OWN_GROUPS = ("networking.istio.io", "security.istio.io", "policy.mesh.dev")
own = [k for k in kinds if k[1] in OWN_GROUPS]
gateway_api = [k for k in kinds if k[1] == "gateway.networking.k8s.io"]
check("ResourceKinds.cs parsed: Istio's 10 kinds, ApiPolicy and the Gateway API's",
      len(own) == 11 and len(gateway_api) >= 4, f"{len(own)} own, {len(gateway_api)} gateway API")

crds = {d["metadata"]["name"]: d for d in find(docs, "CustomResourceDefinition")}
check("CRDs: only Istio's and Mesh's groups (the Gateway API's come from its own release)",
      all(d["spec"]["group"] in OWN_GROUPS for d in crds.values()), str(sorted(crds)))
for kind, group, plural, versions in own:
    crd = crds.get(f"{plural}.{group}")
    check(f"CRD {plural}.{group} exists", crd is not None)
    if crd is None:
        continue
    cs = crd["spec"]
    check(f"CRD {plural}.{group}: kind and plural", cs["names"].get("plural") == plural and cs["group"] == group)
    served = [v["name"] for v in cs["versions"] if v.get("served")]
    check(f"CRD {plural}.{group}: serves {versions}", served == versions, str(served))
    storage = [v["name"] for v in cs["versions"] if v.get("storage")]
    check(f"CRD {plural}.{group}: one storage version, {versions[0]}", storage == [versions[0]], str(storage))
    check(f"CRD {plural}.{group}: status subresource and a spec schema in every version",
          all("status" in (v.get("subresources") or {})
              and ((v.get("schema") or {}).get("openAPIV3Schema") or {}).get("properties", {}).get("spec", {}).get("type") == "object"
              for v in cs["versions"]))

def cluster_rules(role_name):
    role = next(iter(find(docs, "ClusterRole", role_name)), None)
    return (role or {}).get("rules", [])

def allows(rules, group, resource, verbs, name=None):
    return any(group in r.get("apiGroups", []) and resource in r.get("resources", []) and set(verbs) <= set(r.get("verbs", []))
               and (name is None or not r.get("resourceNames") or name in r["resourceNames"]) for r in rules)

bindings = [b for b in find(docs, "ClusterRoleBinding") if b["roleRef"]["kind"] == "ClusterRole"
            and any(s.get("kind") == "ServiceAccount" and s.get("name") == sa_name and s.get("namespace") == NS for s in b.get("subjects", []))]
check("a ClusterRoleBinding binds a ClusterRole to the silos' ServiceAccount", len(bindings) == 1, str(len(bindings)))
rules = cluster_rules(bindings[0]["roleRef"]["name"]) if bindings else []
WATCH = ("get", "list", "watch")
for group, resource in (("", "services"), ("", "endpoints"), ("", "pods"), ("", "namespaces"), ("", "nodes"),
                        ("discovery.k8s.io", "endpointslices")):
    check(f"ClusterRole: get/list/watch {resource}{'.' + group if group else ''}", allows(rules, group, resource, WATCH))
for kind, group, plural, _ in own:
    check(f"ClusterRole: get/list/watch/update/patch {plural}.{group}", allows(rules, group, plural, WATCH + ("update", "patch")))
    check(f"ClusterRole: update/patch {plural}/status", allows(rules, group, f"{plural}/status", ("update", "patch")))
for kind, group, plural, _ in gateway_api:
    check(f"ClusterRole: get/list/watch {plural}.{group}", allows(rules, group, plural, WATCH))
check("ClusterRole: create tokenreviews", allows(rules, "authentication.k8s.io", "tokenreviews", ("create",)))
check("ClusterRole: get/list/watch/create/update configmaps (mesh-ca-root-cert in every namespace)",
      allows(rules, "", "configmaps", WATCH + ("create", "update")))
check("ClusterRole: no secrets (the silos read theirs as files)", not any("secrets" in r.get("resources", []) for r in rules))

check("env Mesh__Admission__XdsAddress: injected sidecars dial the 15012 Service by its certificate name",
      (env.get("Mesh__Admission__XdsAddress") or {}).get("value") == f"{server_name}:15012", str(env.get("Mesh__Admission__XdsAddress")))
hook_svc = one(docs, "Service", "mesh-webhook")
if hook_svc:
    sp = service_ports(hook_svc)
    check("Service mesh-webhook selects the silos", matches(hook_svc["spec"].get("selector"), tmpl_labels))
    check("Service mesh-webhook 443 targets container port 15017", 443 in sp and resolve(sp[443].get("targetPort")) == 15017,
          str(sp.get(443)))

def webhook_points_at(kind, name, path):
    config = one(docs, kind, name)
    hooks = (config or {}).get("webhooks") or []
    check(f"{kind}/{name} has webhooks", bool(hooks))
    for h in hooks:
        cc, label = h.get("clientConfig") or {}, f"{kind}/{name} webhook {h.get('name')}"
        svc_ref = cc.get("service") or {}
        check(f"{label} calls mesh-webhook.{NS}:443{path}",
              "url" not in cc and svc_ref.get("name") == "mesh-webhook" and svc_ref.get("namespace") == NS
              and svc_ref.get("path") == path and svc_ref.get("port", 443) == 443, str(cc))
        check(f"{label} caBundle empty (the silos fill it)", not cc.get("caBundle"))
        check(f"{label} sideEffects None, AdmissionReview v1, a failurePolicy",
              h.get("sideEffects") == "None" and h.get("admissionReviewVersions") == ["v1"] and h.get("failurePolicy") in ("Fail", "Ignore"))
    return hooks

for h in webhook_points_at("MutatingWebhookConfiguration", "mesh-sidecar-injector", "/inject"):
    check("injector: pods CREATE", any(r.get("operations") == ["CREATE"] and r.get("resources") == ["pods"] and r.get("apiGroups") == [""]
                                        for r in h.get("rules", [])), str(h.get("rules")))
    check("injector: namespaces labelled istio-injection=enabled",
          (h.get("namespaceSelector") or {}).get("matchLabels") == {"istio-injection": "enabled"})
    check("injector: pods labelled sidecar.istio.io/inject=false are left alone",
          {"key": "sidecar.istio.io/inject", "operator": "NotIn", "values": ["false"]} in ((h.get("objectSelector") or {}).get("matchExpressions") or []))
    check("injector: reinvocationPolicy set", h.get("reinvocationPolicy") in ("Never", "IfNeeded"))
for h in webhook_points_at("ValidatingWebhookConfiguration", "mesh-validator", "/validate"):
    for kind, group, plural, _ in own:
        check(f"validator: CREATE/UPDATE of {plural}.{group}",
              any(group in r.get("apiGroups", []) and plural in r.get("resources", []) and {"CREATE", "UPDATE"} <= set(r.get("operations", []))
                  for r in h.get("rules", [])))

# ---- dev overlay ------------------------------------------------------------------------
dev = load(dev_file)
redis = one(dev, "StatefulSet", "redis")
if redis:
    rc = redis["spec"]["template"]["spec"]["containers"][0]
    args = " ".join(map(str, (rc.get("command") or []) + (rc.get("args") or [])))
    check("dev Redis --appendonly yes", "--appendonly yes" in args, args)
    check("dev Redis --appendfsync always", "--appendfsync always" in args, args)
    check("dev Redis has a PVC", bool(redis["spec"].get("volumeClaimTemplates")))
dev_sts = one(dev, "StatefulSet", "mesh")
dev_secrets = {s["metadata"]["name"] for s in find(dev, "Secret")}
if dev_sts:
    denv = {e["name"]: e for e in dev_sts["spec"]["template"]["spec"]["containers"][0]["env"]}
    ref = denv["Mesh__Redis"]["valueFrom"]["secretKeyRef"]["name"]
    check("dev overlay's mesh-redis Secret is the one referenced", ref in dev_secrets, f"{ref} not in {dev_secrets}")
    check("dev overlay ships no API token", not any(n.startswith("mesh-api-token") for n in dev_secrets))
    check("dev overlay ships no CA encryption key", not any(n.startswith("mesh-ca-key") for n in dev_secrets))

# ---- sentinel overlay: a replicated Redis, three sentinels, the silos on the sentinel form ----
ha = load(sentinel_file)
servers = one(ha, "StatefulSet", "redis")
sentinels = one(ha, "StatefulSet", "redis-sentinel")
conf = (one(ha, "ConfigMap", "redis-sentinel") or {}).get("data", {})
if servers and sentinels:
    check("sentinel overlay: 3 Redis servers", servers["spec"].get("replicas") == 3)
    check("sentinel overlay: 3 sentinels", sentinels["spec"].get("replicas") == 3)
    for sts_ in (servers, sentinels):
        cmd = " ".join(sts_["spec"]["template"]["spec"]["containers"][0].get("command") or [])
        check(f"{sts_['metadata']['name']} starts through start.sh", "start.sh" in cmd, cmd)
    check("sentinel overlay: Redis servers keep their data on a PVC", bool(servers["spec"].get("volumeClaimTemplates")))
redis_conf, sentinel_conf, start = conf.get("redis.conf", ""), conf.get("sentinel.conf", ""), conf.get("start.sh", "")
check("sentinel overlay: appendonly yes, appendfsync always", "appendonly yes" in redis_conf and "appendfsync always" in redis_conf)
check("sentinel overlay: quorum 2 on service mesh", "sentinel monitor mesh %s 6379 2" in start, start)
check("sentinel overlay: sentinels know servers by DNS name", "resolve-hostnames yes" in sentinel_conf and "--replica-announce-ip" in start)
ha_secrets = {s["metadata"]["name"]: s for s in find(ha, "Secret")}
ha_sts = one(ha, "StatefulSet", "mesh")
if ha_sts:
    henv = {e["name"]: e for e in ha_sts["spec"]["template"]["spec"]["containers"][0]["env"]}
    ref = henv["Mesh__Redis"]["valueFrom"]["secretKeyRef"]["name"]
    check("sentinel overlay's mesh-redis Secret is the one referenced", ref in ha_secrets, f"{ref} not in {list(ha_secrets)}")
    literal = (ha_secrets.get(ref) or {}).get("data", {}).get("address", "")
    import base64
    address = base64.b64decode(literal).decode() if literal else ""
    sentinel_svc = one(ha, "Service", "redis-sentinel")
    hosts = [a.split(":")[0] for a in address.split(",") if ":" in a]
    check("sentinel overlay: Mesh__Redis names the 3 sentinels and serviceName=mesh",
          len(hosts) == 3 and all(h.startswith(f"redis-sentinel-{i}.redis-sentinel.{NS}.svc") for i, h in enumerate(hosts))
          and address.endswith(",serviceName=mesh"), address)
    check("sentinel overlay: the sentinels' Service is headless", bool(sentinel_svc) and sentinel_svc["spec"].get("clusterIP") == "None")

# ---- helm chart (static checks only: no helm binary here) -------------------------------
for f in ("Chart.yaml", "values.yaml"):
    try:
        with open(os.path.join(chart_dir, f)) as fh:
            doc = yaml.safe_load(fh)
        check(f"helm {f} parses", isinstance(doc, dict))
    except Exception as e:  # noqa: BLE001
        check(f"helm {f} parses", False, str(e))
values = yaml.safe_load(open(os.path.join(chart_dir, "values.yaml")))
check("helm values replicaCount 3", values.get("replicaCount") == 3)
for key in (("image", "repository"), ("redis", "existingSecret"), ("redis", "key"),
            ("apiToken", "existingSecret"), ("membership", "profile"), ("resources", "requests"),
            ("ca", "trustDomain"), ("ca", "encryptionKey"), ("ca", "certsSecret")):
    check(f"helm values {'.'.join(key)}", key[1] in (values.get(key[0]) or {}))
ca_values = values.get("ca") or {}
check("helm values ca defaults match the base (cluster.local, mesh-ca-key/ca-encryption.key, no cacerts)",
      ca_values.get("trustDomain") == "cluster.local" and not ca_values.get("certsSecret")
      and (ca_values.get("encryptionKey") or {}).get("existingSecret") == "mesh-ca-key"
      and (ca_values.get("encryptionKey") or {}).get("key") == "ca-encryption.key", str(ca_values))
helm_sts = open(os.path.join(chart_dir, "templates", "statefulset.yaml")).read()
for needle in ("containerPort: 15012", "Mesh__Xds__SecureAddress", "Mesh__Xds__ServerNames__0",
               "Mesh__Ca__EncryptionKeyFile", "Mesh__Ca__TrustDomain", "Mesh__Ca__CertsDir",
               "secretName: {{ .Values.ca.encryptionKey.existingSecret }}"):
    check(f"helm statefulset has {needle}", needle in helm_sts)
check("helm statefulset declares no container port 15010", "containerPort: 15010" not in helm_sts)
check("helm statefulset leaves Mesh__Xds__Address on loopback", "name: Mesh__Xds__Address" not in helm_sts)
helm_svc = open(os.path.join(chart_dir, "templates", "service.yaml")).read()
check("helm Service exposes 15012", "port: 15012" in helm_svc)
check("helm Service has no plaintext 15010", "port: 15010" not in helm_svc)
check("helm statefulset has container port 15017 (webhooks)", "containerPort: 15017" in helm_sts)
for needle in ("Mesh__Admission__ServiceName", "Mesh__Admission__InjectorConfiguration", "Mesh__Admission__ValidatorConfiguration",
               "Mesh__Admission__XdsAddress"):
    check(f"helm statefulset has {needle} (names follow the release)", needle in helm_sts)
check("helm chart ships the generated CRDs (crds/crds.yaml is deploy/k8s/crds.yaml)",
      open(os.path.join(chart_dir, "crds", "crds.yaml")).read() == open("deploy/k8s/crds.yaml").read())
helm_hooks = open(os.path.join(chart_dir, "templates", "webhooks.yaml")).read()
for needle in ("path: /inject", "path: /validate", 'name: {{ include "mesh.fullname" . }}-webhook', "istio-injection: enabled"):
    check(f"helm webhooks.yaml has {needle}", needle in helm_hooks)
check("helm webhooks.yaml sets no caBundle", "caBundle:" not in helm_hooks)
helm_rbac = open(os.path.join(chart_dir, "templates", "rbac-kubernetes.yaml")).read()
for kind, group, plural, _ in own + gateway_api:
    check(f"helm ClusterRole names {plural} and the validator too" if group in OWN_GROUPS else f"helm ClusterRole names {plural}",
          f'"{plural}"' in helm_rbac and (group not in OWN_GROUPS or (f'"{plural}/status"' in helm_rbac and f'"{plural}"' in helm_hooks)))
check("helm ClusterRole: tokenreviews", '"tokenreviews"' in helm_rbac)
helm_hook_svc = open(os.path.join(chart_dir, "templates", "service-webhook.yaml")).read()
check("helm webhook Service: 443 to the webhook port", "port: 443, targetPort: webhook" in helm_hook_svc)
tdir = os.path.join(chart_dir, "templates")
for f in sorted(os.listdir(tdir)):
    text = open(os.path.join(tdir, f)).read()
    check(f"helm template {f}: balanced {{{{ }}}}", text.count("{{") == text.count("}}"))
    opens = len(re.findall(r"\{\{-?\s*(if|with|range|define)\b", text))
    ends = len(re.findall(r"\{\{-?\s*end\b", text))
    check(f"helm template {f}: every block ends", opens == ends, f"{opens} opened, {ends} ended")

for f in failed:
    print(f"FAIL: {f}")
print(f"deploy-render: {passed} passed, {len(failed)} failed")
sys.exit(1 if failed else 0)
PYEOF
