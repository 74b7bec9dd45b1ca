"""Describers for PersistentVolumes and PersistentVolumeClaims in kubectl's layout
(`describePersistentVolume`, `describePersistentVolumeClaim`, `printPersistentVolumeClaim` in
kubectl/pkg/describe/describe.go).

A PV's source block is written by one printer per volume source kind; the PVC's "Used By" lists the pods
of its namespace that mount it, and the pods that own it.
"""

from __future__ import annotations

from fkubectl.describe.common import (describe_events, go_bool, meta, print_annotations, print_labels, rfc1123z,
                                      search_events)
from fkubectl.describe.controllers import claim_class, storage_quantity
from fkubectl.describe.pod import VOLUME_PRINTERS
from fkubectl.describe.writer import LEVEL_0, LEVEL_1, LEVEL_2, PrefixWriter
from fkubectl.printers.duration import age

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

    from fkubectl.factory import Factory

ACCESS_MODES = (("ReadWriteOnce", "RWO"), ("ReadOnlyMany", "ROX"), ("ReadWriteMany", "RWX"),
                ("ReadWriteOncePod", "RWOP"))


def access_modes(modes: list[str] | None) -> str:
    """`storageutil.GetAccessModesAsString`: short names in a fixed order, duplicates dropped."""
    present = set(modes or [])
    return ",".join(short for name, short in ACCESS_MODES if name in present)


def _go_list(items: list[Any] | None) -> str:
    """Go's `%v` of a string slice: `[a b]`."""
    return f"[{' '.join(str(i) for i in items or [])}]"


def _volume_class(pv: dict[str, Any]) -> str:
    """`storageutil.GetPersistentVolumeClass`: the beta annotation wins over `spec.storageClassName`."""
    annotations = meta(pv).get("annotations") or {}
    if "volume.beta.kubernetes.io/storage-class" in annotations:
        return str(annotations["volume.beta.kubernetes.io/storage-class"])
    return str((pv.get("spec") or {}).get("storageClassName") or "")


def _status(obj: dict[str, Any]) -> str:
    deleted = meta(obj).get("deletionTimestamp")
    if deleted:
        return f"Terminating (lasts {age(deleted)})"
    return str((obj.get("status") or {}).get("phase", ""))


def _node_affinity(w: PrefixWriter, affinity: dict[str, Any] | None) -> None:
    w.write(LEVEL_0, "Node Affinity:\t")
    required = (affinity or {}).get("required")
    if required is None:
        w.line("<none>")
        return
    w.line("")
    w.write(LEVEL_1, "Required Terms:\t")
    terms = required.get("nodeSelectorTerms") or []
    if not terms:
        w.line("<none>")
        return
    w.line("")
    for i, term in enumerate(terms):
        w.write(LEVEL_2, f"Term {i}:\t")
        expressions = term.get("matchExpressions") or []
        if not expressions:
            w.line("<none>")
            continue
        for j, req in enumerate(expressions):
            if j:
                w.write(LEVEL_2, "\t")
            text = f"{req.get('key', '')} {str(req.get('operator', '')).lower()}"
            if req.get("values"):
                text += f" [{', '.join(req['values'])}]"
            w.write(LEVEL_0, text + "\n")


def _source(w: PrefixWriter, type_text: str, *fields: tuple[str, Any]) -> None:
    """One PV source block: `Type:` at level 2, then each field indented by four spaces."""
    text = f"Type:\t{type_text}\n" + "".join(f"    {name}:\t{value}\n" for name, value in fields)
    w.write(LEVEL_2, text)


def _local(w: PrefixWriter, v: dict[str, Any]) -> None:
    _source(w, "LocalVolume (a persistent volume backed by local storage on a node)", ("Path", v.get("path", "")))


def _gce(w: PrefixWriter, v: dict[str, Any]) -> None:
    _source(w, "GCEPersistentDisk (a Persistent Disk resource in Google Compute Engine)",
            ("PDName", v.get("pdName", "")), ("FSType", v.get("fsType", "")),
            ("Partition", v.get("partition", 0)), ("ReadOnly", go_bool(v.get("readOnly"))))


def _aws(w: PrefixWriter, v: dict[str, Any]) -> None:
    _source(w, "AWSElasticBlockStore (a Persistent Disk resource in AWS)",
            ("VolumeID", v.get("volumeID", "")), ("FSType", v.get("fsType", "")),
            ("Partition", v.get("partition", 0)), ("ReadOnly", go_bool(v.get("readOnly"))))


def _vsphere(w: PrefixWriter, v: dict[str, Any]) -> None:
    _source(w, "vSphereVolume (a Persistent Disk resource in vSphere)",
            ("VolumePath", v.get("volumePath", "")), ("FSType", v.get("fsType", "")),
            ("StoragePolicyName", v.get("storagePolicyName", "")))


def _portworx(w: PrefixWriter, v: dict[str, Any]) -> None:
    _source(w, "PortworxVolume (a Portworx Volume resource)", ("VolumeID", v.get("volumeID", "")))


def _flocker(w: PrefixWriter, v: dict[str, Any]) -> None:
    _source(w, "Flocker (a Flocker volume mounted by the Flocker agent)",
            ("DatasetName", v.get("datasetName", "")), ("DatasetUUID", v.get("datasetUUID", "")))


def _quobyte(w: PrefixWriter, v: dict[str, Any]) -> None:
    _source(w, "Quobyte (a Quobyte mount on the host that shares a pod's lifetime)",
            ("Registry", v.get("registry", "")), ("Volume", v.get("volume", "")),
            ("ReadOnly", go_bool(v.get("readOnly"))))


def _fc(w: PrefixWriter, v: dict[str, Any]) -> None:
    lun = v.get("lun")
    _source(w, "FC (a Fibre Channel disk)", ("TargetWWNs", ", ".join(v.get("targetWWNs") or [])),
            ("LUN", "<none>" if lun is None else lun), ("FSType", v.get("fsType", "")),
            ("ReadOnly", go_bool(v.get("readOnly"))))


def _glusterfs(w: PrefixWriter, v: dict[str, Any]) -> None:
    namespace = v.get("endpointsNamespace")
    _source(w, "Glusterfs (a Glusterfs mount on the host that shares a pod's lifetime)",
            ("EndpointsName", v.get("endpoints", "")),
            ("EndpointsNamespace", "<unset>" if namespace is None else namespace),
            ("Path", v.get("path", "")), ("ReadOnly", go_bool(v.get("readOnly"))))


def _csi(w: PrefixWriter, v: dict[str, Any]) -> None:
    _source(w, "CSI (a Container Storage Interface (CSI) volume source)",
            ("Driver", v.get("driver", "")), ("FSType", v.get("fsType", "")),
            ("VolumeHandle", v.get("volumeHandle", "")), ("ReadOnly", go_bool(v.get("readOnly"))))
    attributes = v.get("volumeAttributes") or {}
    w.write(LEVEL_2, "VolumeAttributes:\t")
    if not attributes:
        w.line("<none>")
        return
    for i, key in enumerate(sorted(attributes)):
        if i:  # kubectl indents continuation lines twice: "" and "\t", each at level 2
            w.write(LEVEL_2, "")
            w.write(LEVEL_2, "\t")
        line = f"{key}={attributes[key]}"
        w.write(LEVEL_2, ((line[:140] + "...") if len(line) > 140 else line) + "\n")


def _host_path(w: PrefixWriter, v: dict[str, Any]) -> None:
    kind = v.get("type")
    _source(w, "HostPath (bare host directory volume)", ("Path", v.get("path", "")),
            ("HostPathType", "<none>" if kind is None else kind))


# kubectl tries the PV sources in this order; nfs prints as it does for pod volumes.
PV_SOURCES: tuple[tuple[str, Callable[[PrefixWriter, dict[str, Any]], None]], ...] = (
    ("hostPath", _host_path), ("gcePersistentDisk", _gce), ("awsElasticBlockStore", _aws),
    ("nfs", VOLUME_PRINTERS["nfs"]), ("glusterfs", _glusterfs), ("quobyte", _quobyte),
    ("vsphereVolume", _vsphere), ("portworxVolume", _portworx), ("local", _local), ("fc", _fc),
    ("flocker", _flocker), ("csi", _csi),
)


def persistent_volume(f: Factory, obj: dict[str, Any], *, show_events: bool = True) -> str:
    m, spec, status = meta(obj), obj.get("spec") or {}, obj.get("status") or {}
    events = search_events(f, obj) if show_events else None
    w = PrefixWriter()
    w.write(LEVEL_0, f"Name:\t{m.get('name', '')}\n")
    print_labels(w, "Labels", m.get("labels"))
    print_annotations(w, "Annotations", m.get("annotations"))
    w.write(LEVEL_0, f"Finalizers:\t{_go_list(m.get('finalizers'))}\n")
    w.write(LEVEL_0, f"StorageClass:\t{_volume_class(obj)}\n")
    w.write(LEVEL_0, f"Status:\t{_status(obj)}\n")
    claim = spec.get("claimRef")
    w.write(LEVEL_0, f"Claim:\t{claim.get('namespace', '')}/{claim.get('name', '')}\n" if claim else "Claim:\t\n")
    w.write(LEVEL_0, f"Reclaim Policy:\t{spec.get('persistentVolumeReclaimPolicy', '')}\n")
    w.write(LEVEL_0, f"Access Modes:\t{access_modes(spec.get('accessModes'))}\n")
    if spec.get("volumeMode") is not None:
        w.write(LEVEL_0, f"VolumeMode:\t{spec['volumeMode']}\n")
    w.write(LEVEL_0, f"Capacity:\t{storage_quantity((spec.get('capacity') or {}).get('storage'))}\n")
    _node_affinity(w, spec.get("nodeAffinity"))
    w.write(LEVEL_0, f"Message:\t{status.get('message', '')}\n")
    w.write(LEVEL_0, "Source:\n")
    for key, printer in PV_SOURCES:
        if spec.get(key) is not None:
            printer(w, spec[key])
            break
    else:
        w.write(LEVEL_1, "<unknown>\n")
    describe_events(w, events)
    return w.text()


def pods_using_claim(f: Factory, pvc: dict[str, Any]) -> list[dict[str, Any]]:
    """kubectl's `getPodsForPVC`: each pod of the namespace once per volume naming the claim, then the pods
    that own the claim and are not listed yet."""
    m = meta(pvc)
    pods = _namespace_pods(f, m.get("namespace", ""))
    using = [p for p in pods for v in (p.get("spec") or {}).get("volumes") or []
             if (v.get("persistentVolumeClaim") or {}).get("claimName") == m.get("name")]
    for ref in m.get("ownerReferences") or []:
        if ref.get("kind") != "Pod":
            continue
        owner = next((p for p in pods if meta(p).get("uid") == ref.get("uid")), None)
        if owner is not None and all(meta(p).get("uid") != meta(owner).get("uid") for p in using):
            using.append(owner)
    return using


def _namespace_pods(f: Factory, namespace: str) -> list[dict[str, Any]]:
    from fkubectl.client.mapping import Mapping
    from fkubectl.client.request import list_request

    mapping = Mapping("", "v1", "pods", "Pod", True)
    items: list[dict[str, Any]] = []
    cont = ""
    while True:
        page = f.client().json(list_request(mapping, namespace, limit=500, cont=cont))
        items.extend(page.get("items") or [])
        cont = (page.get("metadata") or {}).get("continue", "")
        if not cont:
            return items


def persistent_volume_claim(f: Factory, obj: dict[str, Any], *, show_events: bool = True) -> str:
    m, spec, status = meta(obj), obj.get("spec") or {}, obj.get("status") or {}
    pods = pods_using_claim(f, obj)
    events = search_events(f, obj) if show_events else None
    w = PrefixWriter()
    w.write(LEVEL_0, f"Name:\t{m.get('name', '')}\n")
    w.write(LEVEL_0, f"Namespace:\t{m.get('namespace', '')}\n")
    w.write(LEVEL_0, f"StorageClass:\t{claim_class(obj)}\n")
    w.write(LEVEL_0, f"Status:\t{_status(obj)}\n")
    w.write(LEVEL_0, f"Volume:\t{spec.get('volumeName', '')}\n")
    print_labels(w, "Labels", m.get("labels"))
    print_annotations(w, "Annotations", m.get("annotations"))
    w.write(LEVEL_0, f"Finalizers:\t{_go_list(m.get('finalizers'))}\n")
    capacity = modes = ""
    if spec.get("volumeName"):
        modes = access_modes(status.get("accessModes"))
        capacity = storage_quantity((status.get("capacity") or {}).get("storage"))
    w.write(LEVEL_0, f"Capacity:\t{capacity}\n")
    w.write(LEVEL_0, f"Access Modes:\t{modes}\n")
    if spec.get("volumeMode") is not None:
        w.write(LEVEL_0, f"VolumeMode:\t{spec['volumeMode']}\n")
    source = spec.get("dataSource")
    if source is not None:
        w.write(LEVEL_0, "DataSource:\n")
        if source.get("apiGroup") is not None:
            w.write(LEVEL_1, f"APIGroup:\t{source['apiGroup']}\n")
        w.write(LEVEL_1, f"Kind:\t{source.get('kind', '')}\n")
        w.write(LEVEL_1, f"Name:\t{source.get('name', '')}\n")
    w.write(LEVEL_0, "Used By:\t")
    if not pods:
        w.line("<none>")
    for i, pod in enumerate(sorted(pods, key=lambda p: meta(p).get("name", ""))):
        if i:
            w.write(LEVEL_0, "\t")
        w.write(LEVEL_0, f"{meta(pod).get('name', '')}\n")
    conditions = status.get("conditions") or []
    if conditions:
        w.write(LEVEL_0, "Conditions:\n")
        w.write(LEVEL_1, "Type\tStatus\tLastProbeTime\tLastTransitionTime\tReason\tMessage\n")
        w.write(LEVEL_1, "----\t------\t-----------------\t------------------\t------\t-------\n")
        for c in conditions:
            w.write(LEVEL_1, f"{c.get('type', '')} \t{c.get('status', '')} \t{rfc1123z(c.get('lastProbeTime'))} \t"
                             f"{rfc1123z(c.get('lastTransitionTime'))} \t{c.get('reason', '')} \t"
                             f"{c.get('message', '')}\n")
    describe_events(w, events)
    return w.text()
