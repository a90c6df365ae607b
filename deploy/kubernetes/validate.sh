#!/usr/bin/env bash
# Validates every manifest under deploy/kubernetes, offline:
#   1. yamllint (settings in .yamllint) on every YAML file;
#   2. the kustomizations: every file they list exists, every patch target names
#      a resource of the build it patches (JSON6902 paths included), generator
#      inputs exist (or are documented by a *.example when git-ignored), the
#      production overlay and its migrations use the same image;
#   3. the deployment contract: seven Deployments with their Services, PDBs and
#      HPAs, probes, security context, env wiring, Ingress backends and plugins,
#      five migration Jobs, and every ConfigMap/Secret key a pod reads exists;
#   4. kubernetes-validate --strict against the bundled OpenAPI schemas of
#      Kubernetes $K8S_VERSIONS for every manifest of built-in kinds; CRD kinds
#      (KongPlugin) are checked by the embedded Python instead (API version,
#      known plugin, config a mapping of that plugin's fields);
#   5. when kubectl is present: `kubectl kustomize` renders each kustomization
#      (dummy secret inputs from the *.example files) and the output goes
#      through the checks of 4 again.
# Needs python3; installs kubernetes-validate and yamllint with pip if missing
# (into ~/.cache/emporium-validate-venv where the system python refuses pip).
# Usage: deploy/kubernetes/validate.sh        (exit status 0 when all pass)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
K8S_VERSIONS="${K8S_VERSIONS:-1.30.0 1.33.0}"
export PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_ROOT_USER_ACTION=ignore

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

fail() {
    echo "validate.sh: FAILED: $*" >&2
    exit 1
}

# --- tools ---------------------------------------------------------------
# $py: a python3 with kubernetes_validate, yamllint and PyYAML. pip installs
# them when missing; where python3 is a distribution's externally managed one
# (PEP 668), they go into a virtualenv kept under ~/.cache instead.
py=python3
has_tools() { "$1" -c 'import kubernetes_validate, yamllint, yaml' 2>/dev/null; }
if ! has_tools "$py"; then
    if ! python3 -m pip install -q kubernetes-validate yamllint 2>"$work/pip.err" || ! has_tools python3; then
        venv="${XDG_CACHE_HOME:-$HOME/.cache}/emporium-validate-venv"
        if [ ! -x "$venv/bin/python" ]; then
            python3 -m venv "$venv" || { cat "$work/pip.err" >&2; fail "could not install kubernetes-validate and yamllint (pip, then a venv)"; }
        fi
        "$venv/bin/python" -m pip install -q kubernetes-validate yamllint || fail "could not install kubernetes-validate and yamllint in $venv"
        py="$venv/bin/python"
    fi
fi
has_tools "$py" || fail "kubernetes-validate, yamllint and PyYAML are not importable by $py"
if command -v yamllint >/dev/null 2>&1; then
    yamllint=(yamllint)
else
    yamllint=("$py" -m yamllint)
fi

if command -v shellcheck >/dev/null 2>&1; then
    shellcheck "${BASH_SOURCE[0]}" || fail "shellcheck found problems in validate.sh"
    shellchecked="shellcheck clean"
else
    shellchecked="shellcheck not installed: skipped"
fi

# --- 1. yamllint -----------------------------------------------------------
mapfile -t yaml_files < <(cd "$here" && find . -name '*.yaml' -not -path '*/.*/*' | sort)
[ "${#yaml_files[@]}" -gt 0 ] || fail "no YAML files under $here"
(cd "$here" && "${yamllint[@]}" -s -c .yamllint "${yaml_files[@]}") || fail "yamllint"

# --- the embedded checker ------------------------------------------------
cat > "$work/check.py" <<'PY'
"""Structure checks of deploy/kubernetes for validate.sh (see its header)."""
import copy
import os
import re
import shutil
import subprocess
import sys

import yaml

PROCESSES = ["catalog", "inventory", "users", "orders", "notifications", "gateway", "realtime"]
SERVICES = PROCESSES[:5]
NAME = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
KUSTOMIZE_API = {"Kustomization": "kustomize.config.k8s.io/v1beta1", "Component": "kustomize.config.k8s.io/v1alpha1"}
KUSTOMIZATION_FIELDS = {"apiVersion", "kind", "metadata", "namespace", "labels", "resources", "components",
                        "images", "patches", "configMapGenerator", "secretGenerator", "generatorOptions"}
# Secrets the manifests read but no kustomization makes: one per service
# database, created by CloudNativePG (or by hand), key "uri".
EXTERNAL_SECRET = re.compile(r"^emporium-(%s)-db-app$" % "|".join(SERVICES))
EXTERNAL_SECRET_KEYS = {"uri"}

# Kong plugins these manifests may use, with the config fields each accepts.
KONG_PLUGINS = {
    "cors": {"origins", "methods", "headers", "exposed_headers", "credentials", "max_age",
             "preflight_continue", "private_network", "allow_origin_absent"},
    "correlation-id": {"header_name", "generator", "echo_downstream"},
    "request-size-limiting": {"allowed_payload_size", "size_unit", "require_content_length"},
    "rate-limiting": {"second", "minute", "hour", "day", "month", "year", "limit_by", "header_name",
                      "path", "policy", "fault_tolerant", "hide_client_headers", "redis", "sync_rate",
                      "error_code", "error_message"},
}
KONG_REDIS_FIELDS = {"host", "port", "password", "username", "database", "timeout", "connect_timeout",
                     "send_timeout", "read_timeout", "ssl", "ssl_verify", "server_name"}
KONGPLUGIN_FIELDS = {"apiVersion", "kind", "metadata", "plugin", "config", "configFrom", "configPatches",
                     "disabled", "consumerRef", "protocols", "run_on", "ordering", "instance_name"}
CRD_KINDS = {("configuration.konghq.com/v1", "KongPlugin")}

errors = []


def err(where, message):
    errors.append(f"{where}: {message}")


def load_docs(path):
    with open(path, encoding="utf-8") as handle:
        return [d for d in yaml.safe_load_all(handle) if d is not None]


def is_builtin(api_version):
    group = api_version.split("/")[0] if "/" in api_version else ""
    return group == "" or "." not in group or group.endswith(".k8s.io")


def rel(root, path):
    return os.path.relpath(path, root)


# ---------------------------------------------------------------- CRDs ---
def check_kong_plugin(doc, where):
    name = (doc.get("metadata") or {}).get("name", "?")
    where = f"{where} KongPlugin/{name}"
    if doc.get("apiVersion") != "configuration.konghq.com/v1":
        err(where, "apiVersion must be configuration.konghq.com/v1")
    for field in sorted(set(doc) - KONGPLUGIN_FIELDS):
        err(where, f"unknown field {field!r}")
    if not NAME.match(str(name)):
        err(where, "metadata.name is not a DNS-1123 name")
    plugin = doc.get("plugin")
    if plugin not in KONG_PLUGINS:
        err(where, f"plugin {plugin!r} is not one of {sorted(KONG_PLUGINS)}")
        return
    if "config" in doc and "configFrom" in doc:
        err(where, "config and configFrom are mutually exclusive")
    if "configFrom" in doc and "configPatches" in doc:
        err(where, "configFrom and configPatches are mutually exclusive")
    config = doc.get("config", {})
    if not isinstance(config, dict):
        err(where, "config must be a mapping")
        return
    for field in sorted(set(config) - KONG_PLUGINS[plugin]):
        err(where, f"config.{field} is not a field of the {plugin} plugin")
    patched = set()
    for i, patch in enumerate(doc.get("configPatches") or []):
        ref = ((patch or {}).get("valueFrom") or {}).get("secretKeyRef") or {}
        if not str((patch or {}).get("path", "")).startswith("/") or not ref.get("name") or not ref.get("key"):
            err(where, f"configPatches[{i}] needs path (/…) and valueFrom.secretKeyRef name and key")
        else:
            patched.add(patch["path"])
    if plugin == "request-size-limiting":
        size = config.get("allowed_payload_size")
        if not isinstance(size, int) or size <= 0:
            err(where, "allowed_payload_size must be a positive integer")
        if config.get("size_unit", "megabytes") not in ("megabytes", "kilobytes", "bytes"):
            err(where, "size_unit must be megabytes, kilobytes or bytes")
    elif plugin == "rate-limiting":
        windows = [w for w in ("second", "minute", "hour", "day", "month", "year") if w in config]
        if not windows:
            err(where, "rate-limiting needs at least one window (second … year)")
        for w in windows:
            if not isinstance(config[w], int) or config[w] <= 0:
                err(where, f"{w} must be a positive integer")
        if config.get("policy") != "redis":
            err(where, "rate-limiting must use policy: redis (counters shared by every Kong replica)")
        if config.get("limit_by", "consumer") not in ("consumer", "credential", "ip", "service", "header", "path", "consumer-group"):
            err(where, "limit_by is not a known value")
        redis = config.get("redis")
        if not isinstance(redis, dict) or not redis.get("host"):
            err(where, "policy redis needs config.redis.host")
        else:
            for field in sorted(set(redis) - KONG_REDIS_FIELDS):
                err(where, f"config.redis.{field} is not a Redis field")
            if "password" not in redis and "/redis/password" not in patched:
                err(where, "the Redis password must come from configPatches (/redis/password)")
    elif plugin == "cors":
        origins = config.get("origins")
        if not isinstance(origins, list) or not origins or not all(isinstance(o, str) for o in origins):
            err(where, "cors needs origins, a list of strings")
        methods = set(config.get("methods") or [])
        if not methods <= {"GET", "HEAD", "PUT", "PATCH", "POST", "DELETE", "OPTIONS", "TRACE", "CONNECT"}:
            err(where, "cors methods must be HTTP methods")
    elif plugin == "correlation-id":
        if config.get("generator", "uuid#counter") not in ("uuid", "uuid#counter", "tracker"):
            err(where, "generator must be uuid, uuid#counter or tracker")


def check_crd(doc, where):
    key = (doc.get("apiVersion"), doc.get("kind"))
    if key == ("configuration.konghq.com/v1", "KongPlugin"):
        check_kong_plugin(doc, where)
    else:
        err(where, f"{key[1]} ({key[0]}) is neither a built-in kind nor a CRD this script knows")


def check_documents(docs, where):
    """Every document a complete object; returns (built-in docs, CRD docs)."""
    builtin, crds = [], []
    for doc in docs:
        if not isinstance(doc, dict) or not doc.get("apiVersion") or not doc.get("kind"):
            err(where, "a document without apiVersion and kind")
            continue
        name = (doc.get("metadata") or {}).get("name")
        if not name:
            err(where, f"{doc['kind']} without metadata.name")
        if is_builtin(doc["apiVersion"]):
            builtin.append(doc)
        else:
            check_crd(doc, where)
            crds.append(doc)
    return builtin, crds


# ------------------------------------------------------- kustomizations ---
def env_keys(path):
    keys = []
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            line = line.strip()
            if line and not line.startswith("#"):
                keys.append(line.split("=", 1)[0])
    return keys


def generator_input(kdir, entry, where):
    """The path of a generator input; a git-ignored one must be documented by a *.example."""
    path = os.path.join(kdir, entry)
    if os.path.isfile(path):
        return path
    example = path + ".example"
    if os.path.isfile(example):
        return example
    documented = any(os.path.basename(entry) in open(os.path.join(kdir, f), encoding="utf-8").read()
                     for f in os.listdir(kdir) if f.endswith(".example"))
    if not documented:
        err(where, f"generator input {entry} is missing and no *.example beside it documents it")
    return None


def generated(kdir, spec, kind, where):
    name = spec.get("name")
    keys = set()
    for entry in spec.get("envs") or []:
        path = generator_input(kdir, entry, where)
        if path:
            keys.update(env_keys(path))
    for entry in spec.get("files") or []:
        key, _, source = entry.partition("=")
        source = source or key
        generator_input(kdir, source, where)
        keys.add(key if "=" in entry else os.path.basename(source))
    for literal in spec.get("literals") or []:
        keys.add(literal.split("=", 1)[0])
    return {"apiVersion": "v1", "kind": kind, "metadata": {"name": name, "labels": (spec.get("options") or {}).get("labels", {})},
            "data": {k: "" for k in keys}, "_generated": True}


def pointer_parts(pointer):
    return [p.replace("~1", "/").replace("~0", "~") for p in pointer.split("/")[1:]]


def resolve(doc, parts):
    node = doc
    for part in parts:
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            return False, None
    return True, node


def selects(target, doc):
    if target.get("kind") and doc.get("kind") != target["kind"]:
        return False
    if target.get("name") and (doc.get("metadata") or {}).get("name") != target["name"]:
        return False
    api = doc.get("apiVersion", "")
    group, _, version = api.rpartition("/")
    if "group" in target and target["group"] != group:
        return False
    if target.get("version") and target["version"] != version:
        return False
    if target.get("labelSelector"):
        labels = (doc.get("metadata") or {}).get("labels") or {}
        for term in target["labelSelector"].split(","):
            k, _, v = term.partition("=")
            if labels.get(k.strip()) != v.strip():
                return False
    return True


def check_patch(kdir, spec, resources, where):
    if "path" not in spec and "patch" not in spec:
        err(where, "a patch needs path or patch")
        return
    if "path" in spec:
        path = os.path.join(kdir, spec["path"])
        if not os.path.isfile(path):
            err(where, f"patch file {spec['path']} does not exist")
            return
        docs = load_docs(path)
        label = spec["path"]
    else:
        docs = [d for d in yaml.safe_load_all(spec["patch"]) if d is not None]
        label = "inline patch"
    target = spec.get("target")
    if len(docs) == 1 and isinstance(docs[0], list):
        if not target:
            err(where, f"{label}: a JSON6902 patch needs a target")
            return
        matches = [r for r in resources if selects(target, r)]
        if not matches:
            err(where, f"{label}: target {target} matches no resource of this build")
        for op in docs[0]:
            parts = pointer_parts(op.get("path", ""))
            for doc in matches:
                name = f"{doc['kind']}/{doc['metadata']['name']}"
                if op.get("op") in ("replace", "remove", "test"):
                    if not resolve(doc, parts)[0]:
                        err(where, f"{label}: {op['op']} {op.get('path')} does not exist in {name}")
                elif op.get("op") in ("add", "copy", "move"):
                    found, parent = resolve(doc, parts[:-1])
                    if not found or not isinstance(parent, (dict, list)):
                        err(where, f"{label}: add {op.get('path')}: no parent in {name}")
                else:
                    err(where, f"{label}: unknown op {op.get('op')!r}")
        return
    for doc in docs:
        if not isinstance(doc, dict) or not doc.get("kind") or not (doc.get("metadata") or {}).get("name"):
            err(where, f"{label}: a strategic-merge patch needs kind and metadata.name")
            continue
        candidates = [r for r in resources if (not target or selects(target, r))]
        if not any(r["kind"] == doc["kind"] and r["metadata"]["name"] == doc["metadata"]["name"] for r in candidates):
            err(where, f"{label}: {doc['kind']}/{doc['metadata']['name']} is not a resource of this build")


class Tree:
    def __init__(self, root):
        self.root = root
        self.kustomizations = {}
        self.patch_files = set()
        self.manifest_files = {}
        self.included = set()

    def scan(self):
        for dirpath, dirnames, filenames in os.walk(self.root):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            for f in sorted(filenames):
                path = os.path.join(dirpath, f)
                if f == "kustomization.yaml":
                    self.kustomizations[dirpath] = load_docs(path)[0]
                elif f.endswith((".yml", ".json")) or f == "Kustomization":
                    err(rel(self.root, path), "use .yaml and kustomization.yaml names")
        for kdir, k in self.kustomizations.items():
            for spec in k.get("patches") or []:
                if "path" in spec:
                    self.patch_files.add(os.path.normpath(os.path.join(kdir, spec["path"])))
        for dirpath, dirnames, filenames in os.walk(self.root):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            for f in sorted(filenames):
                path = os.path.normpath(os.path.join(dirpath, f))
                if f.endswith(".yaml") and f != "kustomization.yaml" and path not in self.patch_files:
                    self.manifest_files[path] = load_docs(path)

    def build(self, kdir, stack=()):
        """The resources a kustomization yields (generated objects included), checking as it goes."""
        kdir = os.path.normpath(kdir)
        where = rel(self.root, os.path.join(kdir, "kustomization.yaml"))
        if kdir in stack:
            err(where, "kustomizations include each other")
            return []
        k = self.kustomizations.get(kdir)
        if k is None:
            err(where, "missing")
            return []
        if k.get("kind") not in KUSTOMIZE_API or k.get("apiVersion") != KUSTOMIZE_API[k.get("kind")]:
            err(where, "must be a Kustomization (kustomize.config.k8s.io/v1beta1) or a Component (…/v1alpha1)")
        for field in sorted(set(k) - KUSTOMIZATION_FIELDS):
            err(where, f"field {field!r} is not used by these kustomizations (deprecated or a typo?)")
        resources = []
        for entry in k.get("resources") or []:
            if "://" in entry or entry.startswith(("github.com", "git@")):
                err(where, f"remote resource {entry}: everything must be local")
                continue
            path = os.path.normpath(os.path.join(kdir, entry))
            if os.path.isdir(path):
                if path not in self.kustomizations:
                    err(where, f"resource directory {entry} has no kustomization.yaml")
                    continue
                if self.kustomizations[path].get("kind") != "Kustomization":
                    err(where, f"resource {entry} is a Component: list it under components")
                self.included.add(path)
                resources += copy.deepcopy(self.build(path, stack + (kdir,)))
            elif os.path.isfile(path):
                if path in self.patch_files:
                    err(where, f"{entry} is used as a patch elsewhere and as a resource here")
                if not path.startswith(kdir + os.sep):
                    err(where, f"resource file {entry} is outside the kustomization's directory (kustomize refuses it)")
                resources += copy.deepcopy(self.manifest_files.get(path, []))
            else:
                err(where, f"resource {entry} does not exist")
        for kind, field in (("ConfigMap", "configMapGenerator"), ("Secret", "secretGenerator")):
            for spec in k.get(field) or []:
                resources.append(generated(kdir, spec, kind, where))
        for entry in k.get("components") or []:
            path = os.path.normpath(os.path.join(kdir, entry))
            component = self.kustomizations.get(path)
            if component is None or component.get("kind") != "Component":
                err(where, f"component {entry} is not a directory with a Component kustomization.yaml")
                continue
            self.included.add(path)
            resources += self.build(path, stack + (kdir,))
            for spec in component.get("patches") or []:
                check_patch(path, spec, resources, rel(self.root, os.path.join(path, "kustomization.yaml")))
        for spec in k.get("patches") or []:
            if k.get("kind") == "Kustomization":
                check_patch(kdir, spec, resources, where)
        for image in k.get("images") or []:
            if not image.get("name") or not (image.get("newTag") or image.get("digest") or image.get("newName")):
                err(where, "an images entry needs name and newName, newTag or digest")
        return resources


# ------------------------------------------------ the deployment contract ---
def env_of(container):
    return {e["name"]: e for e in container.get("env") or []}


def check_pod(spec, where):
    pod_sc = spec.get("securityContext") or {}
    if pod_sc.get("runAsNonRoot") is not True or (pod_sc.get("seccompProfile") or {}).get("type") != "RuntimeDefault":
        err(where, "pod securityContext needs runAsNonRoot: true and seccompProfile RuntimeDefault")
    if pod_sc.get("runAsUser") != 10001:
        err(where, "pods run as uid 10001 (the image's user)")
    if spec.get("automountServiceAccountToken") is not False:
        err(where, "automountServiceAccountToken must be false")
    volumes = {v["name"]: v for v in spec.get("volumes") or []}
    for c in spec.get("containers") or []:
        sc = c.get("securityContext") or {}
        if sc.get("allowPrivilegeEscalation") is not False or sc.get("readOnlyRootFilesystem") is not True \
                or "ALL" not in ((sc.get("capabilities") or {}).get("drop") or []):
            err(where, f"container {c['name']}: needs allowPrivilegeEscalation false, readOnlyRootFilesystem true, capabilities drop ALL")
        res = c.get("resources") or {}
        for part in ("requests", "limits"):
            if not {"cpu", "memory"} <= set(res.get(part) or {}):
                err(where, f"container {c['name']}: resources.{part} needs cpu and memory")
        mounts = {m["mountPath"]: m["name"] for m in c.get("volumeMounts") or []}
        if "emptyDir" not in volumes.get(mounts.get("/tmp"), {}):
            err(where, f"container {c['name']}: /tmp must be an emptyDir (read-only root filesystem)")
        env = env_of(c)
        if "EMPORIUM_DATABASE_URL" in env:
            value = env["EMPORIUM_DATABASE_URL"].get("value", "")
            if "sslmode=$(DB_SSLMODE)" not in value or not {"DB_URI", "DB_SSLMODE"} <= set(env):
                err(where, "EMPORIUM_DATABASE_URL must be $(DB_URI)?sslmode=$(DB_SSLMODE) with both defined before it")
            names = list(env)
            if names.index("EMPORIUM_DATABASE_URL") < max(names.index("DB_URI"), names.index("DB_SSLMODE")):
                err(where, "DB_URI and DB_SSLMODE must come before EMPORIUM_DATABASE_URL (dependent variables)")


def check_contract(resources, where):
    by = {}
    for r in resources:
        by.setdefault(r["kind"], {})[r["metadata"]["name"]] = r
    if not by.get("Deployment") and not by.get("Job"):
        err(where, "a deployable kustomization must yield the Deployments or the migration Jobs")
    for name in PROCESSES if by.get("Deployment") else []:
        w = f"{where} {name}"
        d = by.get("Deployment", {}).get(name)
        if not d:
            err(w, "Deployment missing")
            continue
        spec = d["spec"]["template"]["spec"]
        pod_labels = d["spec"]["template"]["metadata"].get("labels") or {}
        if d["spec"].get("selector", {}).get("matchLabels", {}).items() - pod_labels.items():
            err(w, "selector does not match the pod labels")
        check_pod(spec, f"{w} Deployment")
        if spec.get("terminationGracePeriodSeconds", 30) < 30:
            err(w, "terminationGracePeriodSeconds must be at least 30 (EMPORIUM_SHUTDOWN_GRACE_SECONDS=20)")
        c = spec["containers"][0]
        if c.get("args") != ["serve", name]:
            err(w, f'args must be ["serve", "{name}"]')
        ports = {p.get("name"): p.get("containerPort") for p in c.get("ports") or []}
        if ports.get("http") != 8080 or ports.get("metrics") != 9090:
            err(w, "container ports http 8080 and metrics 9090")
        for probe, path in (("readinessProbe", "/health/ready"), ("livenessProbe", "/health/live"), ("startupProbe", "/health/live")):
            if ((c.get(probe) or {}).get("httpGet") or {}).get("path") != path:
                err(w, f"{probe} must GET {path}")
        env = env_of(c)
        if not any(ref.get("configMapRef", {}).get("name", "").startswith("emporium-config") for ref in c.get("envFrom") or []):
            err(w, "envFrom must load the emporium-config ConfigMap")
        wanted = {"EMPORIUM_INTERNAL_TOKEN", "EMPORIUM_REDIS_URL", "EMPORIUM_JWT_PUBLIC_KEY"}
        wanted |= {"EMPORIUM_DATABASE_URL"} if name in SERVICES else {"EMPORIUM_SUBGRAPHS"}
        wanted |= {"EMPORIUM_JWKS_URL"} if name != "users" else {"EMPORIUM_JWT_PRIVATE_KEY"}
        wanted |= {"orders": {"EMPORIUM_WEBHOOK_SECRET", "EMPORIUM_PAYMENT_TIMEOUT_SECONDS"},
                   "users": {"EMPORIUM_SMTP_URL", "EMPORIUM_MAIL_FROM", "EMPORIUM_PUBLIC_URL"},
                   "notifications": {"EMPORIUM_SMTP_URL", "EMPORIUM_MAIL_FROM"}}.get(name, set())
        for var in sorted(wanted - set(env)):
            err(w, f"env {var} missing")
        if name == "users" and "EMPORIUM_JWKS_URL" in env:
            err(w, "users signs the tokens: no EMPORIUM_JWKS_URL")
        if name in SERVICES:
            ref = (env.get("DB_URI", {}).get("valueFrom") or {}).get("secretKeyRef") or {}
            if ref.get("name") != f"emporium-{name}-db-app":
                err(w, f"DB_URI must come from the Secret emporium-{name}-db-app (its own database)")
        svc = by.get("Service", {}).get(name)
        if not svc:
            err(w, "Service missing")
        else:
            sports = {p.get("name"): p.get("port") for p in svc["spec"].get("ports") or []}
            if sports.get("http") != 8080 or sports.get("metrics") != 9090:
                err(w, "Service ports http 8080 and metrics 9090")
            if svc["spec"].get("selector", {}).items() - pod_labels.items():
                err(w, "Service selector does not match the pods")
        pdb = by.get("PodDisruptionBudget", {}).get(name)
        if not pdb or not ({"minAvailable", "maxUnavailable"} & set(pdb["spec"])):
            err(w, "PodDisruptionBudget with minAvailable or maxUnavailable missing")
        elif pdb["spec"].get("selector", {}).get("matchLabels", {}).items() - pod_labels.items():
            err(w, "PodDisruptionBudget selector does not match the pods")
        hpa = by.get("HorizontalPodAutoscaler", {}).get(name)
        if not hpa or hpa.get("apiVersion") != "autoscaling/v2":
            err(w, "HorizontalPodAutoscaler (autoscaling/v2) missing")
            continue
        if hpa["spec"]["scaleTargetRef"].get("name") != name or hpa["spec"]["scaleTargetRef"].get("kind") != "Deployment":
            err(w, "HPA must scale its Deployment")
        if not 2 <= hpa["spec"].get("minReplicas", 1) <= hpa["spec"].get("maxReplicas", 0):
            err(w, "HPA needs 2 <= minReplicas <= maxReplicas")
        metrics = hpa["spec"].get("metrics") or []
        if not any(m.get("type") == "Resource" and m["resource"]["name"] == "cpu"
                   and m["resource"]["target"].get("averageUtilization") == 70 for m in metrics):
            err(w, "HPA must target 70 % CPU")
        if name == "realtime" and not any(m.get("type") == "Pods" and m["pods"]["metric"]["name"] == "emporium_realtime_connections" for m in metrics):
            err(w, "realtime's HPA must also scale on the pods metric emporium_realtime_connections")
    plugins = set(by.get("KongPlugin", {}))
    routes = {}
    for name, ing in by.get("Ingress", {}).items():
        w = f"{where} Ingress/{name}"
        if ing["spec"].get("ingressClassName") != "kong":
            err(w, "ingressClassName must be kong")
        annotations = (ing["metadata"].get("annotations") or {})
        for plugin in filter(None, annotations.get("konghq.com/plugins", "").split(",")):
            if plugin.strip() not in plugins:
                err(w, f"plugin {plugin} is not a KongPlugin of this build")
        upgrade = annotations.get("konghq.com/headers.upgrade")
        for rule in ing["spec"].get("rules") or []:
            for p in rule["http"]["paths"]:
                backend = p["backend"]["service"]
                if backend["name"] not in by.get("Service", {}) or backend["port"].get("name") != "http":
                    err(w, f"{p['path']}: backend must be an existing Service's port named http")
                routes[(p["path"], upgrade)] = (backend["name"], annotations.get("konghq.com/plugins", ""))
    if by.get("Ingress"):
        expected = {("/graphql", None): "gateway", ("/graphql", "websocket"): "realtime",
                    ("/api/products/search", None): "catalog", ("/exports", None): "catalog",
                    ("/images", None): "catalog", ("/uploads/images", None): "catalog",
                    ("/webhooks/payments", None): "orders", ("/webhooks/delivery", None): "orders"}
        for route, service in expected.items():
            if routes.get(route, ("",))[0] != service:
                err(where, f"route {route[0]}{' (Upgrade: websocket)' if route[1] else ''} must go to {service}")
        for (path, upgrade), (service, names) in routes.items():
            limit = "emporium-body-limit-21mb" if path == "/uploads/images" else "emporium-body-limit-1mb"
            if upgrade is None and limit not in names:
                err(where, f"route {path} needs {limit}")
            rate_limited = any(n.startswith("emporium-rate-limit") for n in names.split(","))
            if path != "/graphql" and not rate_limited:
                err(where, f"route {path} needs a rate-limiting plugin")
            if "emporium-correlation-id" not in names:
                err(where, f"route {path} needs emporium-correlation-id")
    jobs = by.get("Job", {})
    if jobs:
        for svc in SERVICES:
            job = jobs.get(f"migrate-{svc}")
            if not job:
                err(where, f"migration Job migrate-{svc} missing")
                continue
            spec = job["spec"]["template"]["spec"]
            check_pod(spec, f"{where} Job/migrate-{svc}")
            c = spec["containers"][0]
            if c.get("args") != ["migrate", svc]:
                err(where, f'Job/migrate-{svc}: args must be ["migrate", "{svc}"]')
            ref = ((env_of(c).get("DB_URI") or {}).get("valueFrom") or {}).get("secretKeyRef") or {}
            if ref.get("name") != f"emporium-{svc}-db-app" or "EMPORIUM_DATABASE_URL" not in env_of(c):
                err(where, f"Job/migrate-{svc}: EMPORIUM_DATABASE_URL from emporium-{svc}-db-app")


def check_references(resources, where, rendered=False):
    """Every ConfigMap/Secret (and key) a pod or KongPlugin reads is made by this build."""
    objects = {(r["kind"], r["metadata"]["name"]): r for r in resources}

    def keys(kind, name):
        obj = objects.get((kind, name))
        if obj is None:
            return None
        return set(obj.get("data") or {}) | set(obj.get("stringData") or {})

    def secret(name, key, w):
        if EXTERNAL_SECRET.match(name):
            if key not in EXTERNAL_SECRET_KEYS:
                err(w, f"external Secret {name}: key {key} (expected one of {sorted(EXTERNAL_SECRET_KEYS)})")
            return
        found = keys("Secret", name)
        if found is None:
            err(w, f"Secret {name} is not made by this build")
        elif key not in found:
            err(w, f"Secret {name} has no key {key}")

    for r in resources:
        w = f"{where} {r['kind']}/{r['metadata']['name']}"
        if r["kind"] in ("Deployment", "Job"):
            for c in r["spec"]["template"]["spec"]["containers"]:
                for ref in c.get("envFrom") or []:
                    if "configMapRef" in ref and keys("ConfigMap", ref["configMapRef"]["name"]) is None:
                        err(w, f"ConfigMap {ref['configMapRef']['name']} is not made by this build")
                for e in c.get("env") or []:
                    source = e.get("valueFrom") or {}
                    if "configMapKeyRef" in source:
                        name, key = source["configMapKeyRef"]["name"], source["configMapKeyRef"]["key"]
                        found = keys("ConfigMap", name)
                        if found is None:
                            err(w, f"ConfigMap {name} is not made by this build")
                        elif key not in found:
                            err(w, f"ConfigMap {name} has no key {key}")
                    if "secretKeyRef" in source:
                        secret(source["secretKeyRef"]["name"], source["secretKeyRef"]["key"], w)
        if r["kind"] == "KongPlugin":
            for patch in r.get("configPatches") or []:
                ref = patch["valueFrom"]["secretKeyRef"]
                secret(ref["name"], ref["key"], w)
        if rendered and r["kind"] != "Namespace" and r["metadata"].get("namespace") != "emporium":
            err(w, "not in namespace emporium")


# -------------------------------------------------------------- commands ---
def check_sources(root, builtin_list):
    tree = Tree(root)
    tree.scan()
    builtin_files, counts = [], {"files": 0, "resources": 0, "crds": 0}
    for path, docs in sorted(tree.manifest_files.items()):
        where = rel(root, path)
        builtin, crds = check_documents(docs, where)
        if builtin and crds:
            err(where, "mixes built-in kinds and CRDs: keep CRDs in files of their own")
        if builtin:
            builtin_files.append(path)
        counts["files"] += 1
        counts["resources"] += len(builtin)
        counts["crds"] += len(crds)
    roots = []
    for kdir, k in sorted(tree.kustomizations.items()):
        tree.build(kdir)
    for kdir, k in sorted(tree.kustomizations.items()):
        if kdir not in tree.included:
            if k.get("kind") == "Component":
                err(rel(root, kdir), "a Component no kustomization includes")
            roots.append(kdir)
    # Deployable roots: no other kustomization includes them.
    for kdir in roots:
        resources = tree.build(kdir)
        where = rel(root, kdir)
        check_contract(resources, where)
        check_references(resources, where)
    orphan = [rel(root, p) for p in tree.manifest_files if not any(
        p.startswith(k + os.sep) for k in tree.kustomizations)]
    for path in orphan:
        err(path, "not under any kustomization")
    images = {}
    for kdir in roots:
        for image in tree.kustomizations[kdir].get("images") or []:
            images.setdefault(image["name"], set()).add((image.get("newName"), image.get("newTag"), image.get("digest")))
    for name, variants in images.items():
        if len(variants) > 1:
            err("overlays", f"image {name}: the deployable kustomizations disagree: {sorted(map(str, variants))}")
    with open(builtin_list, "w", encoding="utf-8") as out:
        out.write("\n".join(builtin_files) + "\n")
    with open(builtin_list + ".roots", "w", encoding="utf-8") as out:
        for kdir in sorted(tree.kustomizations):
            if tree.kustomizations[kdir].get("kind") == "Kustomization":
                out.write(f"{rel(root, kdir)} {'deployable' if kdir in roots else 'part'}\n")
    print(f"{len(tree.kustomizations)} kustomizations ({len(roots)} deployable), {counts['files']} manifest files "
          f"({counts['resources']} built-in resources, {counts['crds']} Kong CRDs), {len(tree.patch_files)} patch files")


def prepare_render(root):
    """Fills the git-ignored generator inputs of a copy of the tree with dummies."""
    for dirpath, _, filenames in os.walk(root):
        if "kustomization.yaml" not in filenames:
            continue
        k = load_docs(os.path.join(dirpath, "kustomization.yaml"))[0]
        for spec in (k.get("secretGenerator") or []) + (k.get("configMapGenerator") or []):
            entries = list(spec.get("envs") or []) + [f.partition("=")[2] or f for f in spec.get("files") or []]
            for entry in entries:
                path = os.path.join(dirpath, entry)
                if os.path.exists(path):
                    continue
                if os.path.exists(path + ".example"):
                    shutil.copy(path + ".example", path)
                elif entry.endswith(".pem") and "private" in entry and shutil.which("openssl"):
                    subprocess.run(["openssl", "genpkey", "-algorithm", "ed25519", "-out", path], check=True, capture_output=True)
                elif entry.endswith(".pem") and shutil.which("openssl"):
                    private = path.replace("public", "private")
                    if not os.path.exists(private):
                        subprocess.run(["openssl", "genpkey", "-algorithm", "ed25519", "-out", private], check=True, capture_output=True)
                    subprocess.run(["openssl", "pkey", "-in", private, "-pubout", "-out", path], check=True, capture_output=True)
                else:
                    with open(path, "w", encoding="utf-8") as out:
                        out.write("-----BEGIN PUBLIC KEY-----\nplaceholder\n-----END PUBLIC KEY-----\n")


def check_rendered(path, builtin_out, name, deployable):
    docs = load_docs(path)
    builtin, crds = check_documents(docs, f"rendered {name}")
    if deployable:
        check_contract(docs, f"rendered {name}")
        check_references(docs, f"rendered {name}", rendered=True)
    with open(builtin_out, "w", encoding="utf-8") as out:
        yaml.safe_dump_all(builtin, out, sort_keys=False)
    print(f"{len(builtin)} {len(crds)}")


def main():
    command = sys.argv[1]
    if command == "sources":
        check_sources(os.path.abspath(sys.argv[2]), sys.argv[3])
    elif command == "prepare-render":
        prepare_render(sys.argv[2])
    elif command == "rendered":
        check_rendered(sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5] == "deployable")
    if errors:
        for e in dict.fromkeys(errors):
            print(f"  {e}", file=sys.stderr)
        print(f"{len(dict.fromkeys(errors))} problem(s)", file=sys.stderr)
        sys.exit(1)


main()
PY

# --- 2 and 3. kustomizations, contract, CRDs --------------------------------
source_summary="$("$py" "$work/check.py" sources "$here" "$work/builtin.txt")" \
    || fail "structure checks (above)"
mapfile -t builtin_files < "$work/builtin.txt"
mapfile -t kustomization_roots < "$work/builtin.txt.roots"

# --- 4. kubernetes-validate --strict ------------------------------------------
kube_validate() {
    local version output status=0
    for version in $K8S_VERSIONS; do
        output="$("$py" -m kubernetes_validate --strict --quiet -k "$version" "$@" 2>&1)" || status=$?
        if [ "$status" -ne 0 ] || grep -qE '^(WARN|ERROR|FATAL)' <<<"$output"; then
            echo "$output" >&2
            return 1
        fi
    done
}
kube_validate "${builtin_files[@]}" || fail "kubernetes-validate --strict on the manifest files"

# --- 5. rendered kustomizations (needs kubectl; offline) -------------------------
rendered="kubectl not found: rendering skipped"
if command -v kubectl >/dev/null 2>&1 && kubectl kustomize --help >/dev/null 2>&1; then
    cp -r "$here" "$work/tree"
    "$py" "$work/check.py" prepare-render "$work/tree"
    count=0 objects=0
    for line in "${kustomization_roots[@]}"; do
        read -r root role <<<"$line"
        out="$work/rendered-$count.yaml"
        kubectl kustomize "$work/tree/$root" > "$out" 2> "$work/kustomize.err" \
            || { cat "$work/kustomize.err" >&2; fail "kubectl kustomize $root"; }
        counts="$("$py" "$work/check.py" rendered "$out" "$out.builtin" "$root" "$role")" \
            || fail "checks of the rendered $root (above)"
        read -r n_builtin n_crd <<<"$counts"
        if [ "$n_builtin" -gt 0 ]; then
            kube_validate "$out.builtin" || fail "kubernetes-validate --strict on the rendered $root"
        fi
        objects=$((objects + n_builtin + n_crd))
        count=$((count + 1))
    done
    rendered="kubectl kustomize rendered ${count} kustomizations (${objects} objects) and they pass the same checks"
fi

echo "validate.sh: OK: yamllint ${#yaml_files[@]} files; ${source_summary}; kubernetes-validate --strict (Kubernetes ${K8S_VERSIONS// /, }) on ${#builtin_files[@]} manifest files; ${rendered}; ${shellchecked}"
