"""`describe pod` in kubectl's layout (`describePod` and its helpers in kubectl/pkg/describe/describe.go).

Containers, volumes and probes are shared with the pod-template describers (deployments, replica sets),
so they are written against the container/volume dicts, not the pod.
"""

from __future__ import annotations

from fkubectl.describe.common import (controller_of, describe_events, go_bool, meta, print_annotations,
                                      print_labels, print_tolerations, rfc1123z, search_events)
from fkubectl.describe.writer import LEVEL_0, LEVEL_1, LEVEL_2, LEVEL_3, PrefixWriter
from fkubectl.printers.duration import age

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from fkubectl.factory import Factory


def describe(f: Factory, obj: dict[str, Any], *, show_events: bool = True) -> str:
    m, spec, status = meta(obj), obj.get("spec") or {}, obj.get("status") or {}
    events = None
    if show_events:
        ref = {"metadata": {**m}}
        mirror = (m.get("annotations") or {}).get("kubernetes.io/config.mirror")
        if mirror:
            ref["metadata"]["uid"] = mirror
        events = search_events(f, ref, with_kind=False)
    w = PrefixWriter()
    w.write(LEVEL_0, f"Name:\t{m.get('name', '')}\n")
    w.write(LEVEL_0, f"Namespace:\t{m.get('namespace', '')}\n")
    if spec.get("priority") is not None:
        w.write(LEVEL_0, f"Priority:\t{spec['priority']}\n")
    if spec.get("priorityClassName"):
        w.write(LEVEL_0, f"Priority Class Name:\t{spec['priorityClassName']}\n")
    if spec.get("runtimeClassName"):
        w.write(LEVEL_0, f"Runtime Class Name:\t{spec['runtimeClassName']}\n")
    if spec.get("serviceAccountName"):
        w.write(LEVEL_0, f"Service Account:\t{spec['serviceAccountName']}\n")
    if spec.get("nodeName"):
        w.write(LEVEL_0, f"Node:\t{spec['nodeName']}/{status.get('hostIP', '')}\n")
    else:
        w.write(LEVEL_0, "Node:\t<none>\n")
    if status.get("startTime"):
        w.write(LEVEL_0, f"Start Time:\t{rfc1123z(status['startTime'])}\n")
    print_labels(w, "Labels", m.get("labels"))
    print_annotations(w, "Annotations", m.get("annotations"))
    phase = status.get("phase", "")
    if m.get("deletionTimestamp") and phase not in ("Failed", "Succeeded"):
        w.write(LEVEL_0, f"Status:\tTerminating (lasts {age(m['deletionTimestamp'])})\n")
        w.write(LEVEL_0, f"Termination Grace Period:\t{m.get('deletionGracePeriodSeconds', 0)}s\n")
    else:
        w.write(LEVEL_0, f"Status:\t{phase}\n")
    if status.get("reason"):
        w.write(LEVEL_0, f"Reason:\t{status['reason']}\n")
    if status.get("message"):
        w.write(LEVEL_0, f"Message:\t{status['message']}\n")
    seccomp = (spec.get("securityContext") or {}).get("seccompProfile")
    if seccomp:
        w.write(LEVEL_0, f"SeccompProfile:\t{seccomp.get('type', '')}\n")
        if seccomp.get("type") == "Localhost":
            w.write(LEVEL_0, f"LocalhostProfile:\t{seccomp.get('localhostProfile', '')}\n")
    w.write(LEVEL_0, f"IP:\t{status.get('podIP', '')}\n")
    ips = status.get("podIPs") or []
    if not ips:
        w.write(LEVEL_0, "IPs:\t<none>\n")
    else:
        w.write(LEVEL_0, "IPs:\n")
        for ip in ips:
            w.write(LEVEL_1, f"IP:\t{ip.get('ip', '')}\n")
    controller = controller_of(obj)
    if controller:
        w.write(LEVEL_0, f"Controlled By:\t{controller}\n")
    if status.get("nominatedNodeName"):
        w.write(LEVEL_0, f"NominatedNodeName:\t{status['nominatedNodeName']}\n")
    if spec.get("initContainers"):
        describe_containers(w, "Init Containers", spec["initContainers"], status.get("initContainerStatuses"))
    describe_containers(w, "Containers", spec.get("containers") or [], status.get("containerStatuses"))
    if spec.get("ephemeralContainers"):
        describe_containers(w, "Ephemeral Containers", spec["ephemeralContainers"],
                            status.get("ephemeralContainerStatuses"))
    if spec.get("readinessGates"):
        w.write(LEVEL_0, "Readiness Gates:\n  Type\tStatus\n")
        conditions = {c.get("type"): c.get("status") for c in status.get("conditions") or []}
        for gate in spec["readinessGates"]:
            w.write(LEVEL_1, f"{gate.get('conditionType')} \t{conditions.get(gate.get('conditionType'), '<none>')} \n")
    if status.get("conditions"):
        w.write(LEVEL_0, "Conditions:\n  Type\tStatus\n")
        for c in status["conditions"]:
            w.write(LEVEL_1, f"{c.get('type', '')} \t{c.get('status', '')} \n")
    describe_volumes(w, spec.get("volumes"))
    w.write(LEVEL_0, f"QoS Class:\t{status.get('qosClass') or qos_class(spec)}\n")
    print_labels(w, "Node-Selectors", spec.get("nodeSelector"))
    print_tolerations(w, "Tolerations", spec.get("tolerations"))
    describe_topology_spread(w, spec.get("topologySpreadConstraints"))
    describe_events(w, events)
    return w.text()


def qos_class(spec: dict[str, Any]) -> str:
    requests_set = limits_set = False
    guaranteed = True
    for c in (spec.get("containers") or []) + (spec.get("initContainers") or []):
        res = c.get("resources") or {}
        req, lim = res.get("requests") or {}, res.get("limits") or {}
        if req or lim:
            requests_set = requests_set or bool(req)
            limits_set = limits_set or bool(lim)
        for name in ("cpu", "memory"):
            if name not in lim or (name in req and req[name] != lim[name]):
                guaranteed = False
    if not requests_set and not limits_set:
        return "BestEffort"
    return "Guaranteed" if guaranteed else "Burstable"


def describe_containers(w: PrefixWriter, label: str, containers: list[dict[str, Any]],
                        statuses: list[dict[str, Any]] | None, *, space: str = "") -> None:
    by_name = {s.get("name"): s for s in statuses or []}
    if not containers:
        w.write(LEVEL_0, f"{space}{label}:\t<none>\n")
    else:
        w.write(LEVEL_0, f"{space}{label}:\n")
    for c in containers:
        status = by_name.get(c.get("name"))
        w.write(LEVEL_1, f"{' ' if space else ''}{c.get('name', '')}:\n")
        if status is not None:
            w.write(LEVEL_2, f"Container ID:\t{status.get('containerID', '')}\n")
        w.write(LEVEL_2, f"Image:\t{c.get('image', '')}\n")
        if status is not None:
            w.write(LEVEL_2, f"Image ID:\t{status.get('imageID', '')}\n")
        ports = c.get("ports") or []
        port_text = ", ".join(f"{p.get('containerPort', 0)}/{p.get('protocol', 'TCP')}"
                              + (f" ({p['name']})" if p.get("name") else "") for p in ports)
        host_text = ", ".join(f"{p.get('hostPort', 0)}/{p.get('protocol', 'TCP')}"
                              + (f" ({p['name']})" if p.get("name") else "") for p in ports)
        if "," in port_text:
            w.write(LEVEL_2, f"Ports:\t{port_text}\n")
        else:
            w.write(LEVEL_2, f"Port:\t{port_text or '<none>'}\n")
        if "," in host_text:
            w.write(LEVEL_2, f"Host Ports:\t{host_text}\n")
        else:
            w.write(LEVEL_2, f"Host Port:\t{host_text or '<none>'}\n")
        if c.get("restartPolicy"):
            w.write(LEVEL_2, f"Restart Policy:\t{c['restartPolicy']}\n")
        for title, key in (("Command", "command"), ("Args", "args")):
            if c.get(key):
                w.write(LEVEL_2, f"{title}:\n")
                for item in c[key]:
                    for part in str(item).split("\n"):
                        w.write(LEVEL_3, f"{part}\n")
        if status is not None:
            _describe_state(w, "State", status.get("state") or {})
            if (status.get("lastState") or {}).get("terminated"):
                _describe_state(w, "Last State", status["lastState"])
            w.write(LEVEL_2, f"Ready:\t{'True' if status.get('ready') else 'False'}\n")
            w.write(LEVEL_2, f"Restart Count:\t{status.get('restartCount', 0)}\n")
        describe_resources(w, c.get("resources"), LEVEL_2)
        for title, key in (("Liveness", "livenessProbe"), ("Readiness", "readinessProbe"),
                           ("Startup", "startupProbe")):
            if c.get(key):
                w.write(LEVEL_2, f"{title}:\t{describe_probe(c[key])}\n")
        if c.get("envFrom"):
            _describe_env_from(w, c["envFrom"])
        _describe_env(w, c.get("env") or [])
        _describe_mounts(w, c.get("volumeMounts") or [], c.get("volumeDevices") or [])


def _describe_state(w: PrefixWriter, name: str, state: dict[str, Any]) -> None:
    if state.get("running") is not None:
        w.write(LEVEL_2, f"{name}:\tRunning\n")
        w.write(LEVEL_3, f"Started:\t{rfc1123z(state['running'].get('startedAt'))}\n")
    elif state.get("waiting") is not None:
        w.write(LEVEL_2, f"{name}:\tWaiting\n")
        if state["waiting"].get("reason"):
            w.write(LEVEL_3, f"Reason:\t{state['waiting']['reason']}\n")
    elif state.get("terminated") is not None:
        t = state["terminated"]
        w.write(LEVEL_2, f"{name}:\tTerminated\n")
        if t.get("reason"):
            w.write(LEVEL_3, f"Reason:\t{t['reason']}\n")
        if t.get("message"):
            w.write(LEVEL_3, f"Message:\t{t['message']}\n")
        w.write(LEVEL_3, f"Exit Code:\t{t.get('exitCode', 0)}\n")
        if (t.get("signal") or 0) > 0:
            w.write(LEVEL_3, f"Signal:\t{t['signal']}\n")
        w.write(LEVEL_3, f"Started:\t{rfc1123z(t.get('startedAt'))}\n")
        w.write(LEVEL_3, f"Finished:\t{rfc1123z(t.get('finishedAt'))}\n")
    else:
        w.write(LEVEL_2, f"{name}:\tWaiting\n")


def _resource_order(names: list[str]) -> list[str]:
    return sorted(names)


def describe_resources(w: PrefixWriter, resources: dict[str, Any] | None, level: int) -> None:
    if not resources:
        return
    for title, key in (("Limits", "limits"), ("Requests", "requests")):
        values = resources.get(key) or {}
        if values:
            w.write(level, f"{title}:\n")
        for name in _resource_order(list(values)):
            w.write(level + 1, f"{name}:\t{values[name]}\n")


def describe_probe(probe: dict[str, Any]) -> str:
    attrs = (f"delay={probe.get('initialDelaySeconds', 0)}s timeout={probe.get('timeoutSeconds', 1)}s "
             f"period={probe.get('periodSeconds', 10)}s #success={probe.get('successThreshold', 1)} "
             f"#failure={probe.get('failureThreshold', 3)}")
    if probe.get("exec"):
        return f"exec [{' '.join(probe['exec'].get('command') or [])}] {attrs}"
    if probe.get("httpGet"):
        h = probe["httpGet"]
        port = str(h.get("port", ""))
        host = h.get("host", "")
        netloc = (f"[{host}]:{port}" if ":" in host else f"{host}:{port}") if port else host
        return f"http-get {str(h.get('scheme', 'HTTP')).lower()}://{netloc}{h.get('path', '')} {attrs}"
    if probe.get("tcpSocket"):
        t = probe["tcpSocket"]
        return f"tcp-socket {t.get('host', '')}:{t.get('port', '')} {attrs}"
    if probe.get("grpc"):
        g = probe["grpc"]
        return f"grpc <pod>:{g.get('port', 0)} {g.get('service', '')} {attrs}"
    return f"unknown {attrs}"


def _describe_env_from(w: PrefixWriter, env_from: list[dict[str, Any]]) -> None:
    w.write(LEVEL_2, "Environment Variables from:\n")
    for e in env_from:
        ref, kind = (e.get("configMapRef"), "ConfigMap") if e.get("configMapRef") else (e.get("secretRef"), "Secret")
        ref = ref or {}
        optional = go_bool(ref.get("optional"))
        if e.get("prefix"):
            w.write(LEVEL_3, f"{ref.get('name', '')}\t{kind} with prefix '{e['prefix']}'\tOptional: {optional}\n")
        else:
            w.write(LEVEL_3, f"{ref.get('name', '')}\t{kind}\tOptional: {optional}\n")


def _describe_env(w: PrefixWriter, env: list[dict[str, Any]]) -> None:
    w.write(LEVEL_2, "Environment:" + ("" if env else "\t<none>") + "\n")
    for e in env:
        source = e.get("valueFrom")
        name = e.get("name", "")
        if source is None:
            for i, part in enumerate(str(e.get("value", "")).split("\n")):
                w.write(LEVEL_3, f"{name}:\t{part}\n" if i == 0 else f"\t{part}\n")
        elif source.get("fieldRef"):
            ref = source["fieldRef"]
            w.write(LEVEL_3, f"{name}:\t ({ref.get('apiVersion', 'v1')}:{ref.get('fieldPath', '')})\n")
        elif source.get("resourceFieldRef"):
            ref = source["resourceFieldRef"]
            w.write(LEVEL_3, f"{name}:\t ({ref.get('resource', '')})\n")
        elif source.get("secretKeyRef"):
            ref = source["secretKeyRef"]
            w.write(LEVEL_3, f"{name}:\t<set to the key '{ref.get('key', '')}' in secret '{ref.get('name', '')}'>"
                             f"\tOptional: {go_bool(ref.get('optional'))}\n")
        elif source.get("configMapKeyRef"):
            ref = source["configMapKeyRef"]
            w.write(LEVEL_3, f"{name}:\t<set to the key '{ref.get('key', '')}' of config map "
                             f"'{ref.get('name', '')}'>\tOptional: {go_bool(ref.get('optional'))}\n")


def _describe_mounts(w: PrefixWriter, mounts: list[dict[str, Any]], devices: list[dict[str, Any]]) -> None:
    w.write(LEVEL_2, "Mounts:" + ("" if mounts else "\t<none>") + "\n")
    for m in sorted(mounts, key=lambda m: m.get("mountPath", "")):
        flags = ["ro" if m.get("readOnly") else "rw"]
        if m.get("subPath"):
            flags.append(f'path="{m["subPath"]}"')
        w.write(LEVEL_3, f"{m.get('mountPath', '')} from {m.get('name', '')} ({','.join(flags)})\n")
    if devices:
        w.write(LEVEL_2, "Devices:\n")
        for d in sorted(devices, key=lambda d: d.get("devicePath", "")):
            w.write(LEVEL_3, f"{d.get('devicePath', '')} from {d.get('name', '')}\n")


def describe_volumes(w: PrefixWriter, volumes: list[dict[str, Any]] | None, *, space: str = "") -> None:
    if not volumes:
        w.write(LEVEL_0, f"{space}Volumes:\t<none>\n")
        return
    w.write(LEVEL_0, f"{space}Volumes:\n")
    for volume in volumes:
        w.write(LEVEL_1, f"{' ' if space else ''}{volume.get('name', '')}:\n")
        for key, printer in VOLUME_PRINTERS.items():
            if volume.get(key) is not None:
                printer(w, volume[key])
                break
        else:
            w.write(LEVEL_1, "<unknown>\n")


def _host_path(w: PrefixWriter, v: dict[str, Any]) -> None:
    w.write(LEVEL_2, f"Type:\tHostPath (bare host directory volume)\n    Path:\t{v.get('path', '')}\n"
                     f"    HostPathType:\t{'<none>' if v.get('type') is None else v['type']}\n")


def _empty_dir(w: PrefixWriter, v: dict[str, Any]) -> None:
    w.write(LEVEL_2, f"Type:\tEmptyDir (a temporary directory that shares a pod's lifetime)\n"
                     f"    Medium:\t{v.get('medium', '')}\n    SizeLimit:\t{v.get('sizeLimit') or '<unset>'}\n")


def _secret(w: PrefixWriter, v: dict[str, Any]) -> None:
    w.write(LEVEL_2, f"Type:\tSecret (a volume populated by a Secret)\n    SecretName:\t{v.get('secretName', '')}\n"
                     f"    Optional:\t{go_bool(v.get('optional'))}\n")


def _config_map(w: PrefixWriter, v: dict[str, Any]) -> None:
    w.write(LEVEL_2, f"Type:\tConfigMap (a volume populated by a ConfigMap)\n    Name:\t{v.get('name', '')}\n"
                     f"    Optional:\t{go_bool(v.get('optional'))}\n")


def _pvc(w: PrefixWriter, v: dict[str, Any]) -> None:
    w.write(LEVEL_2, "Type:\tPersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)\n"
                     f"    ClaimName:\t{v.get('claimName', '')}\n    ReadOnly:\t{go_bool(v.get('readOnly'))}\n")


def _projected(w: PrefixWriter, v: dict[str, Any]) -> None:
    w.write(LEVEL_2, "Type:\tProjected (a volume that contains injected data from multiple sources)\n")
    for source in v.get("sources") or []:
        if source.get("secret") is not None:
            s = source["secret"]
            w.write(LEVEL_2, f"SecretName:\t{s.get('name', '')}\n    SecretOptionalName:\t"
                             f"{go_bool(s.get('optional'))}\n")
        elif source.get("downwardAPI") is not None:
            w.write(LEVEL_2, "DownwardAPI:\ttrue\n")
        elif source.get("configMap") is not None:
            c = source["configMap"]
            w.write(LEVEL_2, f"ConfigMapName:\t{c.get('name', '')}\n    Optional:\t"
                             f"{go_bool(c.get('optional'))}\n")
        elif source.get("serviceAccountToken") is not None:
            seconds = source["serviceAccountToken"].get("expirationSeconds", 3600)
            w.write(LEVEL_2, f"TokenExpirationSeconds:\t{seconds}\n")


def _downward(w: PrefixWriter, v: dict[str, Any]) -> None:
    w.write(LEVEL_2, "Type:\tDownwardAPI (a volume populated by information about the pod)\n    Items:\n")
    for item in v.get("items") or []:
        if item.get("fieldRef"):
            w.write(LEVEL_3, f"{item['fieldRef'].get('fieldPath', '')} -> {item.get('path', '')}\n")
        elif item.get("resourceFieldRef"):
            w.write(LEVEL_3, f"{item['resourceFieldRef'].get('resource', '')} -> {item.get('path', '')}\n")


def _nfs(w: PrefixWriter, v: dict[str, Any]) -> None:
    w.write(LEVEL_2, f"Type:\tNFS (an NFS mount that lasts the lifetime of a pod)\n    Server:\t{v.get('server', '')}\n"
                     f"    Path:\t{v.get('path', '')}\n    ReadOnly:\t{go_bool(v.get('readOnly'))}\n")


VOLUME_PRINTERS = {
    "hostPath": _host_path, "emptyDir": _empty_dir, "secret": _secret, "configMap": _config_map,
    "persistentVolumeClaim": _pvc, "projected": _projected, "downwardAPI": _downward, "nfs": _nfs,
}


def describe_topology_spread(w: PrefixWriter, constraints: list[dict[str, Any]] | None) -> None:
    if not constraints:
        return
    from fkubectl.describe.common import format_selector

    w.write(LEVEL_0, "Topology Spread Constraints:\t")
    for i, c in enumerate(sorted(constraints, key=lambda c: c.get("topologyKey", ""))):
        if i:
            w.write(LEVEL_0, "\t")
        text = (f"{c.get('topologyKey', '')}:{c.get('whenUnsatisfiable', '')} when max skew {c.get('maxSkew', 0)} "
                "is exceeded")
        selector = c.get("labelSelector")
        if selector:
            text += f" for selector {format_selector(selector)}"
        w.write(LEVEL_0, text + "\n")
