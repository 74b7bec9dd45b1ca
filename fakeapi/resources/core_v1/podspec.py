"""PodSpec defaulting and validation, shared by pods and every workload template (apps, batch).

Defaulting mirrors pkg/apis/core/v1/defaults.go for PodSpec, Container, Probe, handlers and volume
sources (SetDefaults_PodSpec and below, never SetDefaults_Pod: pod-only defaults live in pods.py), plus
the v1 conversion that mirrors `serviceAccountName` into the deprecated `serviceAccount`.

Validation mirrors pkg/apis/core/validation ValidatePodSpec and its helpers for the fields clients
actually send: containers (names, images, ports, env, mounts, probes, resources, pull policy), init
containers (sidecar rules), volumes, restart/DNS policy, tolerations and the scalar spec fields. Paths
are rooted at the `field` argument so templates report `spec.template.spec.containers[0].image`.
Validation never mutates and tolerates wrongly-typed JSON (it reports instead of raising).
"""

from __future__ import annotations

from typing import Any

from fakeapi.registry.fielderrors import (
    FieldError, duplicate, forbidden, invalid_value, not_supported, required,
)
from fakeapi.registry.validation import (
    inclusive_range_error, is_dns1123_label, is_dns1123_subdomain, is_qualified_name,
    is_valid_label_value, is_valid_port_name, is_valid_port_num, type_invalid, validate_annotations,
    validate_labels, validate_nonnegative,
)
from fakeapi.resources.core_v1.common import (
    Obj, canonical_quantities, dicts, is_config_key, is_relaxed_env_var_name, mapping, quantity_errors,
    quantity_string, quantity_value, semantic, text,
)

__all__ = ["default_pod_spec", "default_pod_template", "default_container", "default_volume_source",
           "validate_pod_spec", "validate_pod_template", "validate_tolerations", "validate_port_num_or_name",
           "pull_policy", "dicts", "mapping", "semantic", "text"]

DEFAULT_MODE = 0o644
MAX_INT32 = 2**31 - 1
PROBES = ("livenessProbe", "readinessProbe", "startupProbe")
HANDLER_TYPES = ("exec", "httpGet", "tcpSocket", "grpc", "sleep")
CONTAINER_LISTS = ("initContainers", "containers", "ephemeralContainers")

#: validateVolumeSource checks the sources in this order; the second one found is Forbidden
VOLUME_SOURCES = (
    "hostPath", "emptyDir", "gitRepo", "gcePersistentDisk", "awsElasticBlockStore", "secret", "nfs",
    "iscsi", "glusterfs", "flocker", "persistentVolumeClaim", "rbd", "cinder", "cephfs", "quobyte",
    "downwardAPI", "fc", "flexVolume", "configMap", "azureFile", "vsphereVolume", "photonPersistentDisk",
    "portworxVolume", "azureDisk", "storageos", "projected", "scaleIO", "csi", "ephemeral", "image",
)

#: SetDefaults_* of volume sources (also used for the matching PersistentVolume sources)
SOURCE_DEFAULTS: dict[str, Obj] = {
    "secret": {"defaultMode": DEFAULT_MODE},
    "configMap": {"defaultMode": DEFAULT_MODE},
    "downwardAPI": {"defaultMode": DEFAULT_MODE},
    "projected": {"defaultMode": DEFAULT_MODE},
    "hostPath": {"type": ""},
    "iscsi": {"iscsiInterface": "default"},
    "rbd": {"pool": "rbd", "user": "admin", "keyring": "/etc/ceph/keyring"},
    "azureDisk": {"cachingMode": "ReadWrite", "fsType": "ext4", "readOnly": False, "kind": "Shared"},
    "scaleIO": {"storageMode": "ThinProvisioned", "fsType": "xfs"},
}

SPEC_DEFAULTS = (("dnsPolicy", "ClusterFirst"), ("restartPolicy", "Always"),
                 ("schedulerName", "default-scheduler"))
PROBE_DEFAULTS = (("timeoutSeconds", 1), ("periodSeconds", 10), ("successThreshold", 1), ("failureThreshold", 3))

RESTART_POLICIES = ("Always", "OnFailure", "Never")
DNS_POLICIES = ("ClusterFirstWithHostNet", "ClusterFirst", "Default", "None")
PULL_POLICIES = ("Always", "IfNotPresent", "Never")
TERMINATION_MESSAGE_POLICIES = ("File", "FallbackToLogsOnError")
PROTOCOLS = ("SCTP", "TCP", "UDP")
HTTP_SCHEMES = ("HTTP", "HTTPS")
PREEMPTION_POLICIES = ("PreemptLowerPriority", "Never")
TOLERATION_OPERATORS = ("Equal", "Exists")
TAINT_EFFECTS = ("NoSchedule", "PreferNoSchedule", "NoExecute")
ENV_FIELD_PATHS = ("metadata.name", "metadata.namespace", "metadata.uid", "spec.nodeName",
                   "spec.serviceAccountName", "status.hostIP", "status.hostIPs", "status.podIP", "status.podIPs")
CONTAINER_RESOURCES = ("cpu", "memory", "ephemeral-storage")
STANDARD_RESOURCES = frozenset((
    "cpu", "memory", "ephemeral-storage", "storage", "pods", "services", "replicationcontrollers", "resourcequotas",
    "secrets", "configmaps", "persistentvolumeclaims", "services.nodeports", "services.loadbalancers",
    *(f"{scope}.{r}" for scope in ("requests", "limits") for r in ("cpu", "memory", "storage", "ephemeral-storage")),
))
NOT_INIT_ALWAYS = "may not be set for init containers without restartPolicy=Always"


# ---- defaulting ----------------------------------------------------------------------------------

def _parse_image(image: str) -> tuple[str, str, str] | None:
    """(repository, tag, digest) the way the docker reference parser sees them; None when unparsable."""
    if not image or image != image.strip():
        return None
    ref, _, digest = image.partition("@")
    slash, colon = ref.rfind("/"), ref.rfind(":")
    repo, tag = (ref[:colon], ref[colon + 1:]) if colon > slash else (ref, "")
    first, _, rest = repo.partition("/")
    remote = rest if rest and ("." in first or ":" in first or first == "localhost" or first != first.lower()) else repo
    if not remote or remote != remote.lower():
        return None
    return repo, tag, digest


def pull_policy(image: object) -> str:
    """SetDefaults_Container: Always for `:latest` or no tag, IfNotPresent otherwise (digests included)."""
    parsed = _parse_image(image) if isinstance(image, str) else None
    if parsed is None:
        return "IfNotPresent"
    _, tag, digest = parsed
    if not tag and not digest:
        tag = "latest"
    return "Always" if tag == "latest" else "IfNotPresent"


def _set_default(obj: Obj, key: str, value: Any) -> None:
    if obj.get(key) in (None, ""):
        obj[key] = value


def _default_handler(handler: Obj) -> None:
    http = handler.get("httpGet")
    if isinstance(http, dict):
        _set_default(http, "path", "/")
        _set_default(http, "scheme", "HTTP")


def _default_probe(probe: Obj) -> None:
    for key, value in PROBE_DEFAULTS:
        if not probe.get(key):
            probe[key] = value
    _default_handler(probe)


def _default_env_source(source: Obj) -> None:
    ref = source.get("fieldRef")
    if isinstance(ref, dict):
        _set_default(ref, "apiVersion", "v1")
    ref = source.get("resourceFieldRef")
    if isinstance(ref, dict):
        _set_default(ref, "divisor", "0")


def default_container(container: Obj) -> None:
    if not container.get("imagePullPolicy"):
        container["imagePullPolicy"] = pull_policy(container.get("image"))
    _set_default(container, "terminationMessagePath", "/dev/termination-log")
    _set_default(container, "terminationMessagePolicy", "File")
    if not isinstance(container.get("resources"), dict):
        container["resources"] = {}
    for bag in ("limits", "requests"):
        canonical_quantities(container["resources"].get(bag))
    for port in dicts(container.get("ports")):
        _set_default(port, "protocol", "TCP")
    for key in PROBES:
        if isinstance(container.get(key), dict):
            _default_probe(container[key])
    for hook in mapping(container.get("lifecycle")).values():
        if isinstance(hook, dict):
            _default_handler(hook)
    for env in dicts(container.get("env")):
        if isinstance(env.get("valueFrom"), dict):
            _default_env_source(env["valueFrom"])


def default_volume_source(source: Obj, kind: str) -> None:
    for key, value in SOURCE_DEFAULTS.get(kind, {}).items():
        source.setdefault(key, value)
    for item in dicts(source.get("items")):
        _default_env_source(item)
    for projection in dicts(source.get("sources")):
        token = projection.get("serviceAccountToken")
        if isinstance(token, dict):
            token.setdefault("expirationSeconds", 3600)
        for item in dicts(mapping(projection.get("downwardAPI")).get("items")):
            _default_env_source(item)
    claim = mapping(source.get("volumeClaimTemplate")).get("spec")
    if kind == "ephemeral" and isinstance(claim, dict):
        claim.setdefault("volumeMode", "Filesystem")


def _default_volume(volume: Obj) -> None:
    present = [k for k in VOLUME_SOURCES if k in volume]
    if not present:
        volume["emptyDir"] = {}
    for kind in present:
        if isinstance(volume[kind], dict):
            default_volume_source(volume[kind], kind)


def default_pod_spec(spec: dict[str, Any]) -> None:
    """SetDefaults_PodSpec and everything below it; safe to call repeatedly."""
    for key, value in SPEC_DEFAULTS:
        _set_default(spec, key, value)
    if not isinstance(spec.get("securityContext"), dict):
        spec["securityContext"] = {}
    if spec.get("terminationGracePeriodSeconds") is None:
        spec["terminationGracePeriodSeconds"] = 30
    canonical_quantities(spec.get("overhead"))
    for bag in ("limits", "requests"):
        canonical_quantities(mapping(spec.get("resources")).get(bag))
    if not spec.get("serviceAccountName") and spec.get("serviceAccount"):
        spec["serviceAccountName"] = spec["serviceAccount"]
    if spec.get("serviceAccountName"):
        spec["serviceAccount"] = spec["serviceAccountName"]
    for key in CONTAINER_LISTS:
        for container in dicts(spec.get(key)):
            default_container(container)
    for volume in dicts(spec.get("volumes")):
        _default_volume(volume)


def default_pod_template(template: dict[str, Any]) -> None:
    """Defaults template.spec only: metadata and pod-only admission defaults are not a template's."""
    if isinstance(template.get("spec"), dict):
        default_pod_spec(template["spec"])


# ---- validation helpers --------------------------------------------------------------------------

def _int(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def validate_port_num_or_name(port: object, path: str) -> list[FieldError]:
    """ValidatePortNumOrName for an IntOrString (unset is the integer 0)."""
    number = _int(0 if port is None else port)
    if number is not None:
        return [invalid_value(path, number, m) for m in is_valid_port_num(number)]
    if isinstance(port, str):
        return [invalid_value(path, port, m) for m in is_valid_port_name(port)]
    return [invalid_value(path, port, "must be an integer or a string")]


def _handler(handler: Obj, path: str, grace: int | None, *, allowed: tuple[str, ...]) -> list[FieldError]:
    errs: list[FieldError] = []
    found = 0
    for kind in allowed:
        action = handler.get(kind)
        if action is None:
            continue
        if found:
            errs.append(forbidden(f"{path}.{kind}", "may not specify more than 1 handler type"))
            continue
        found += 1
        errs.extend(_action(kind, mapping(action), f"{path}.{kind}", grace))
    if not found:
        errs.append(required(path, "must specify a handler type"))
    return errs


def _action(kind: str, action: Obj, path: str, grace: int | None) -> list[FieldError]:
    if kind == "exec":
        return [] if action.get("command") else [required(f"{path}.command")]
    if kind == "httpGet":
        errs = [] if action.get("path") else [required(f"{path}.path")]
        errs += validate_port_num_or_name(action.get("port"), f"{path}.port")
        if action.get("scheme") not in HTTP_SCHEMES:
            errs.append(not_supported(f"{path}.scheme", action.get("scheme", ""), HTTP_SCHEMES))
        return errs
    if kind in ("tcpSocket", "grpc"):
        return validate_port_num_or_name(action.get("port"), f"{path}.port")
    seconds = _int(action.get("seconds")) or 0
    if grace is not None and (seconds < 0 or seconds > grace):
        return [invalid_value(path, seconds, f"must be non-negative and less than terminationGracePeriodSeconds ({grace})")]
    return []


def _probe(probe: object, path: str, grace: int | None, kind: str) -> list[FieldError]:
    if probe is None:
        return []
    if not isinstance(probe, dict):
        return [type_invalid(path, probe, "object")]
    errs = _handler(probe, path, grace, allowed=HANDLER_TYPES[:4])
    for key in ("initialDelaySeconds", "timeoutSeconds", "periodSeconds", "successThreshold", "failureThreshold"):
        errs += validate_nonnegative(probe.get(key), f"{path}.{key}")
    tgps = probe.get("terminationGracePeriodSeconds")
    tgps_value = _int(tgps)
    if tgps_value is not None and tgps_value <= 0:
        errs.append(invalid_value(f"{path}.terminationGracePeriodSeconds", tgps_value, "must be greater than 0"))
    if kind == "readinessProbe" and tgps is not None:
        errs.append(invalid_value(f"{path}.terminationGracePeriodSeconds", tgps, "must not be set for readinessProbes"))
    if kind != "readinessProbe" and probe.get("successThreshold") != 1:
        errs.append(invalid_value(f"{path}.successThreshold", probe.get("successThreshold"), "must be 1"))
    return errs


def _lifecycle_and_probes(container: Obj, path: str, grace: int | None) -> list[FieldError]:
    errs: list[FieldError] = []
    for hook, handler in mapping(container.get("lifecycle")).items():
        if hook in ("postStart", "preStop") and isinstance(handler, dict):
            errs += _handler(handler, f"{path}.lifecycle.{hook}", grace,
                             allowed=("exec", "httpGet", "tcpSocket", "sleep"))
    for kind in PROBES:
        errs += _probe(container.get(kind), f"{path}.{kind}", grace, kind)
    return errs


def _ports(ports: object, path: str) -> list[FieldError]:
    errs: list[FieldError] = []
    names: set[str] = set()
    for i, port in enumerate(dicts(ports)):
        p = f"{path}[{i}]"
        name = text(port.get("name"))
        if name:
            msgs = is_valid_port_name(name)
            if msgs:
                errs += [invalid_value(f"{p}.name", name, m) for m in msgs]
            elif name in names:
                errs.append(duplicate(f"{p}.name", name))
            names.add(name)
        container_port = port.get("containerPort")
        if not container_port:
            errs.append(required(f"{p}.containerPort"))
        else:
            errs += [invalid_value(f"{p}.containerPort", container_port, m)
                     for m in is_valid_port_num(_int(container_port) or 0)]
        if port.get("hostPort"):
            errs += [invalid_value(f"{p}.hostPort", port["hostPort"], m)
                     for m in is_valid_port_num(_int(port["hostPort"]) or 0)]
        protocol = text(port.get("protocol"))
        if not protocol:
            errs.append(required(f"{p}.protocol"))
        elif protocol not in PROTOCOLS:
            errs.append(not_supported(f"{p}.protocol", protocol, PROTOCOLS))
    return errs


def _key_selector(ref: Obj, path: str) -> list[FieldError]:
    name = text(ref.get("name"))
    errs = [invalid_value(f"{path}.name", name, m) for m in is_dns1123_subdomain(name)]
    key = text(ref.get("key"))
    if not key:
        errs.append(required(f"{path}.key"))
    else:
        errs += [invalid_value(f"{path}.key", key, m) for m in is_config_key(key)]
    return errs


def _env(env: object, path: str) -> list[FieldError]:
    errs: list[FieldError] = []
    for i, var in enumerate(dicts(env)):
        p = f"{path}[{i}]"
        name = text(var.get("name"))
        if not name:
            errs.append(required(f"{p}.name"))
        else:
            errs += [invalid_value(f"{p}.name", name, m) for m in is_relaxed_env_var_name(name)]
        source = var.get("valueFrom")
        if not isinstance(source, dict):
            continue
        vp = f"{p}.valueFrom"
        kinds = [k for k in ("fieldRef", "resourceFieldRef", "configMapKeyRef", "secretKeyRef") if source.get(k)]
        field_ref = mapping(source.get("fieldRef"))
        if field_ref:
            if not field_ref.get("apiVersion"):
                errs.append(required(f"{vp}.fieldRef.apiVersion"))
            elif not field_ref.get("fieldPath"):
                errs.append(required(f"{vp}.fieldRef.fieldPath"))
            else:
                fp = text(field_ref["fieldPath"])
                base = fp.split("[", 1)[0]
                if "[" not in fp and fp not in ENV_FIELD_PATHS:
                    errs.append(not_supported(f"{vp}.fieldRef.fieldPath", fp, sorted(ENV_FIELD_PATHS)))
                elif "[" in fp and base not in ("metadata.labels", "metadata.annotations"):
                    errs.append(invalid_value(f"{vp}.fieldRef", base, "does not support subscript"))
        for kind in ("configMapKeyRef", "secretKeyRef"):
            if isinstance(source.get(kind), dict):
                errs += _key_selector(source[kind], f"{vp}.{kind}")
        if not kinds:
            errs.append(invalid_value(vp, "", "must specify one of: `fieldRef`, `resourceFieldRef`, "
                                              "`configMapKeyRef` or `secretKeyRef`"))
        elif var.get("value"):
            errs.append(invalid_value(vp, "", "may not be specified when `value` is not empty"))
        elif len(kinds) > 1:
            errs.append(invalid_value(vp, "", "may not have more than one field specified at a time"))
    return errs


def _mounts(mounts: object, volumes: set[str], path: str) -> list[FieldError]:
    errs: list[FieldError] = []
    seen: set[str] = set()
    for i, mount in enumerate(dicts(mounts)):
        p = f"{path}[{i}]"
        name = text(mount.get("name"))
        if not name:
            errs.append(required(f"{p}.name"))
        if name not in volumes:
            errs.append(FieldError("NotFound", f"{p}.name", name))
        mount_path = text(mount.get("mountPath"))
        if not mount_path:
            errs.append(required(f"{p}.mountPath"))
        if mount_path in seen:
            errs.append(invalid_value(f"{p}.mountPath", mount_path, "must be unique"))
        seen.add(mount_path)
    return errs


def _resource_name(name: str, path: str) -> list[FieldError]:
    """validateContainerResourceName: standard names are unprefixed, everything else is qualified."""
    msgs = is_qualified_name(name)
    if msgs:
        return [invalid_value(path, name, m) for m in msgs]
    if "/" in name or name in CONTAINER_RESOURCES or name.startswith("hugepages-"):
        return []
    errs = [] if name in STANDARD_RESOURCES else [
        invalid_value(path, name, "must be a standard resource type or fully qualified")]
    return errs + [invalid_value(path, name, "must be a standard resource for containers")]


def _resources(resources: object, path: str) -> list[FieldError]:
    res = mapping(resources)
    errs: list[FieldError] = []
    limits, requests = mapping(res.get("limits")), mapping(res.get("requests"))
    for name, qty in limits.items():
        errs += _resource_name(name, f"{path}.limits[{name}]") + quantity_errors(qty, f"{path}.limits[{name}]")
    for name, qty in requests.items():
        errs += _resource_name(name, f"{path}.requests[{name}]") + quantity_errors(qty, f"{path}.requests[{name}]")
        req, lim = quantity_value(qty), quantity_value(limits.get(name))
        if req is not None and lim is not None and req > lim:
            errs.append(invalid_value(f"{path}.requests", quantity_string(qty),
                                      f"must be less than or equal to {name} limit of {quantity_string(limits[name])}"))
    return errs


def _container_common(container: Obj, path: str, volumes: set[str]) -> list[FieldError]:
    errs: list[FieldError] = []
    name = text(container.get("name"))
    if not name:
        errs.append(required(f"{path}.name"))
    else:
        errs += [invalid_value(f"{path}.name", name, m) for m in is_dns1123_label(name)]
    if not container.get("image"):
        errs.append(required(f"{path}.image"))
    policy = text(container.get("terminationMessagePolicy"))
    if not policy:
        errs.append(required(f"{path}.terminationMessagePolicy"))
    elif policy not in TERMINATION_MESSAGE_POLICIES:
        errs.append(not_supported(f"{path}.terminationMessagePolicy", policy, TERMINATION_MESSAGE_POLICIES))
    errs += _ports(container.get("ports"), f"{path}.ports")
    errs += _env(container.get("env"), f"{path}.env")
    errs += _mounts(container.get("volumeMounts"), volumes, f"{path}.volumeMounts")
    pull = text(container.get("imagePullPolicy"))
    if not pull:
        errs.append(required(f"{path}.imagePullPolicy"))
    elif pull not in PULL_POLICIES:
        errs.append(not_supported(f"{path}.imagePullPolicy", pull, PULL_POLICIES))
    errs += _resources(container.get("resources"), f"{path}.resources")
    return errs


def _host_port_conflicts(containers: list[Obj], path: str) -> list[FieldError]:
    errs: list[FieldError] = []
    seen: set[str] = set()
    for ci, container in enumerate(containers):
        for pi, port in enumerate(dicts(container.get("ports"))):
            if not port.get("hostPort"):
                continue
            key = f"{port.get('protocol', '')}/{port.get('hostIP', '')}/{port['hostPort']}"
            if key in seen:
                errs.append(duplicate(f"{path}[{ci}].ports[{pi}].hostPort", key))
            seen.add(key)
    return errs


def _containers(spec: Obj, path: str, volumes: set[str], grace: int | None) -> list[FieldError]:
    containers = dicts(spec.get("containers"))
    if not containers:
        return [required(path)]
    errs: list[FieldError] = []
    names: set[str] = set()
    for i, container in enumerate(containers):
        p = f"{path}[{i}]"
        errs += _container_common(container, p, volumes)
        name = text(container.get("name"))
        if name in names:
            errs.append(duplicate(f"{p}.name", name))
        names.add(name)
        errs += _lifecycle_and_probes(container, p, grace)
        if container.get("restartPolicy") is not None:
            errs.append(forbidden(f"{p}.restartPolicy", "may not be set for non-init containers"))
    return errs + _host_port_conflicts(containers, path)


def _init_containers(spec: Obj, path: str, volumes: set[str], grace: int | None) -> list[FieldError]:
    errs: list[FieldError] = []
    names = {text(c.get("name")) for c in dicts(spec.get("containers"))}
    for i, container in enumerate(dicts(spec.get("initContainers"))):
        p = f"{path}[{i}]"
        errs += _container_common(container, p, volumes)
        policy = container.get("restartPolicy")
        if policy is not None and policy != "Always":
            errs.append(not_supported(f"{p}.restartPolicy", policy, ("Always",)))
        name = text(container.get("name"))
        if name in names:
            errs.append(duplicate(f"{p}.name", name))
        elif name:
            names.add(name)
        errs += _host_port_conflicts([container], path)
        if policy == "Always":
            errs += _lifecycle_and_probes(container, p, grace)
            continue
        errs += [forbidden(f"{p}.{key}", NOT_INIT_ALWAYS)
                 for key in ("lifecycle", *PROBES) if container.get(key) is not None]
    return errs


def _volume_source(volume: Obj, path: str) -> list[FieldError]:
    errs: list[FieldError] = []
    found = [k for k in VOLUME_SOURCES if volume.get(k) is not None]
    if not found:
        return [required(path, "must specify a volume type")]
    errs += [forbidden(f"{path}.{k}", "may not specify more than 1 volume type") for k in found[1:]]
    kind, source = found[0], mapping(volume.get(found[0]))
    checks = {"secret": "secretName", "configMap": "name", "hostPath": "path", "persistentVolumeClaim": "claimName"}
    if kind in checks and not source.get(checks[kind]):
        errs.append(required(f"{path}.{kind}.{checks[kind]}"))
    if kind == "nfs":
        errs += [required(f"{path}.nfs.{k}") for k in ("server", "path") if not source.get(k)]
    mode = _int(source.get("defaultMode"))
    if mode is not None and not 0 <= mode <= 0o777:
        errs.append(invalid_value(f"{path}.{kind}.defaultMode", mode,
                                  "must be a number between 0 and 0777 (octal), both inclusive"))
    return errs


def _volumes(spec: Obj, path: str) -> tuple[set[str], list[FieldError]]:
    errs: list[FieldError] = []
    names: set[str] = set()
    for i, volume in enumerate(dicts(spec.get("volumes"))):
        p = f"{path}[{i}]"
        el = _volume_source(volume, p)
        name = text(volume.get("name"))
        if not name:
            el.append(required(f"{p}.name"))
        else:
            el += [invalid_value(f"{p}.name", name, m) for m in is_dns1123_label(name)]
        if name in names:
            el.append(duplicate(f"{p}.name", name))
        if el:
            errs += el
        else:
            names.add(name)
    return names, errs


def validate_tolerations(tolerations: object, path: str) -> list[FieldError]:
    errs: list[FieldError] = []
    for i, tol in enumerate(dicts(tolerations)):
        p = f"{path}[{i}]"
        key, op, value, effect = (text(tol.get(k)) for k in ("key", "operator", "value", "effect"))
        if key:
            errs += [invalid_value(f"{p}.key", key, m) for m in is_qualified_name(key)]
        if not key and op != "Exists":
            errs.append(invalid_value(f"{p}.operator", op, "operator must be Exists when `key` is empty, "
                                                           'which means "match all values and all keys"'))
        if tol.get("tolerationSeconds") is not None and effect != "NoExecute":
            errs.append(invalid_value(f"{p}.effect", effect, "effect must be 'NoExecute' when `tolerationSeconds` is set"))
        if op in ("Equal", ""):
            msgs = is_valid_label_value(value)
            if msgs:
                errs.append(invalid_value(f"{p}.operator", value, ";".join(msgs)))
        elif op == "Exists":
            if value:
                errs.append(invalid_value(f"{p}.operator", value, "value must be empty when `operator` is 'Exists'"))
        else:
            errs.append(not_supported(f"{p}.operator", op, TOLERATION_OPERATORS))
        if effect and effect not in TAINT_EFFECTS:
            errs.append(not_supported(f"{p}.effect", effect, TAINT_EFFECTS))
    return errs


def _choice(spec: Obj, key: str, path: str, allowed: tuple[str, ...]) -> list[FieldError]:
    value = spec.get(key)
    if not value:
        return [required(f"{path}.{key}")]
    if value not in allowed:
        return [not_supported(f"{path}.{key}", value, allowed)]
    return []


def _names(spec: Obj, path: str) -> list[FieldError]:
    errs: list[FieldError] = []
    for key, check in (("serviceAccountName", is_dns1123_subdomain), ("nodeName", is_dns1123_subdomain),
                       ("hostname", is_dns1123_label), ("subdomain", is_dns1123_label),
                       ("priorityClassName", is_dns1123_subdomain)):
        value = spec.get(key)
        if value:
            errs += [invalid_value(f"{path}.{key}", value, m) for m in check(text(value))]
    return errs


def _gates(spec: Obj, path: str) -> list[FieldError]:
    errs: list[FieldError] = []
    for i, gate in enumerate(dicts(spec.get("readinessGates"))):
        ctype = text(gate.get("conditionType"))
        errs += [invalid_value(f"{path}.readinessGates[{i}].conditionType", ctype, m) for m in is_qualified_name(ctype)]
    seen: set[str] = set()
    for i, gate in enumerate(dicts(spec.get("schedulingGates"))):
        name = text(gate.get("name"))
        errs += [invalid_value(f"{path}.schedulingGates[{i}]", name, m) for m in is_qualified_name(name)]
        if name in seen:
            errs.append(duplicate(f"{path}.schedulingGates[{i}]", name))
        seen.add(name)
    return errs


def _host_network(spec: Obj, path: str, is_pod: bool) -> list[FieldError]:
    if not spec.get("hostNetwork"):
        return []
    errs: list[FieldError] = []
    for i, container in enumerate(dicts(spec.get("containers"))):
        for j, port in enumerate(dicts(container.get("ports"))):
            host, cport = port.get("hostPort") or 0, port.get("containerPort") or 0
            if (is_pod or host != 0) and host != cport:
                errs.append(invalid_value(f"{path}.containers[{i}].ports[{j}].hostPort", host,
                                          "must match `containerPort` when `hostNetwork` is true"))
    return errs


def validate_pod_spec(spec: object, field: str, *, is_pod: bool = False) -> list[FieldError]:
    """ValidatePodSpec: `field` is the path of the spec itself ("spec", "spec.template.spec")."""
    if not isinstance(spec, dict):
        return [type_invalid(field, spec, "object")]
    errs: list[FieldError] = []
    if spec.get("terminationGracePeriodSeconds") is None:
        errs.append(required(f"{field}.terminationGracePeriodSeconds"))
    grace = _int(spec.get("terminationGracePeriodSeconds"))
    volumes, verrs = _volumes(spec, f"{field}.volumes")
    errs += verrs
    errs += _containers(spec, f"{field}.containers", volumes, grace)
    errs += _init_containers(spec, f"{field}.initContainers", volumes, grace)
    errs += _host_network(spec, field, is_pod)
    errs += _choice(spec, "restartPolicy", field, RESTART_POLICIES)
    errs += _choice(spec, "dnsPolicy", field, DNS_POLICIES)
    errs += validate_labels(spec.get("nodeSelector"), f"{field}.nodeSelector")
    if spec.get("dnsPolicy") == "None" and not spec.get("dnsConfig"):
        errs.append(required(f"{field}.dnsConfig", "must provide `dnsConfig` when `dnsPolicy` is None"))
    errs += _gates(spec, field)
    errs += _names(spec, field)
    deadline = spec.get("activeDeadlineSeconds")
    if deadline is not None and not 1 <= (_int(deadline) or 0) <= MAX_INT32:
        errs.append(invalid_value(f"{field}.activeDeadlineSeconds", deadline, inclusive_range_error(1, MAX_INT32)))
    errs += validate_tolerations(spec.get("tolerations"), f"{field}.tolerations")
    if spec.get("preemptionPolicy") is not None and spec["preemptionPolicy"] not in PREEMPTION_POLICIES:
        errs.append(not_supported(f"{field}.preemptionPolicy", spec["preemptionPolicy"], PREEMPTION_POLICIES))
    return errs


def validate_pod_template(template: object, field: str) -> list[FieldError]:
    """ValidatePodTemplateSpec: template labels/annotations and the spec (restartPolicy rules are the caller's)."""
    if not isinstance(template, dict):
        return [type_invalid(field, template, "object")]
    meta = mapping(template.get("metadata"))
    errs = validate_labels(meta.get("labels"), f"{field}.labels")
    errs += validate_annotations(meta.get("annotations"), f"{field}.annotations")
    errs += validate_pod_spec(template.get("spec"), f"{field}.spec")
    if dicts(mapping(template.get("spec")).get("ephemeralContainers")):
        errs.append(forbidden(f"{field}.spec.ephemeralContainers", "ephemeral containers not allowed in pod template"))
    return errs
