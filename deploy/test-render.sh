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
for d in docs:
    if d["kind"] != "Namespace":
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
for port in (11111, 30000, 15012, 15014, 15020, 15080):
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
