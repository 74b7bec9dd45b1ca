"""The persistent volume controller: binding (matching rules, smallest fit, pre-binding), the default
StorageClass and dynamic provisioning, Pending with FailedBinding, reclaim policies, and the pv/pvc
protection finalizers."""

from __future__ import annotations

import time
from typing import Any, TypeVar

import httpx

from fakeapi.cluster.platform.volumes import best_match
from tests.cluster.polling import wait_for

T = TypeVar("T")
Obj = dict[str, Any]
NO_CLASS = "no persistent volumes available for this claim and no storage class is set"


def pv(name: str, size: str = "1Gi", cls: str | None = "manual", modes: tuple[str, ...] = ("ReadWriteOnce",),
       policy: str | None = None, labels: dict[str, str] | None = None, **spec: Any) -> Obj:
    body: Obj = {"capacity": {"storage": size}, "accessModes": list(modes), "hostPath": {"path": f"/mnt/{name}"},
                 **spec}
    if cls is not None:
        body["storageClassName"] = cls
    if policy:
        body["persistentVolumeReclaimPolicy"] = policy
    return {"metadata": {"name": name, "labels": labels or {}}, "spec": body}


def pvc(name: str, size: str = "1Gi", cls: str | None = "manual", modes: tuple[str, ...] = ("ReadWriteOnce",),
        **spec: Any) -> Obj:
    body: Obj = {"accessModes": list(modes), "resources": {"requests": {"storage": size}}, **spec}
    if cls is not None:
        body["storageClassName"] = cls
    return {"metadata": {"name": name}, "spec": body}


def get(api: httpx.Client, path: str) -> Obj | None:
    r = api.get(path)
    return r.json() if r.status_code == 200 else None


def claim(api: httpx.Client, ns: str, name: str) -> Obj | None:
    return get(api, f"/api/v1/namespaces/{ns}/persistentvolumeclaims/{name}")


def volume(api: httpx.Client, name: str) -> Obj | None:
    return get(api, f"/api/v1/persistentvolumes/{name}")


def bound(api: httpx.Client, ns: str, name: str) -> Obj:
    return wait_for(lambda: (c := claim(api, ns, name)) and c["status"].get("phase") == "Bound" and c)


def consumer(name: str, claim_name: str) -> Obj:
    return {"metadata": {"name": name}, "spec": {
        "containers": [{"name": "c", "image": "nginx"}],
        "volumes": [{"name": "v", "persistentVolumeClaim": {"claimName": claim_name}}]}}


def events(api: httpx.Client, ns: str, name: str) -> list[Obj]:
    return [e for e in api.get(f"/api/v1/namespaces/{ns}/events").json()["items"]
            if e["involvedObject"]["name"] == name]


def test_the_default_storage_class(api: httpx.Client) -> None:
    sc = wait_for(lambda: get(api, "/apis/storage.k8s.io/v1/storageclasses/standard"))
    assert sc["metadata"]["annotations"] == {"storageclass.kubernetes.io/is-default-class": "true"}
    assert (sc["provisioner"], sc["reclaimPolicy"], sc["volumeBindingMode"]) == \
        ("rancher.io/local-path", "Delete", "Immediate")


def test_static_binding_of_the_task_pv_example(api: httpx.Client, ns: str) -> None:
    assert api.post("/api/v1/persistentvolumes", json=pv(f"{ns}-vol", labels={"type": "local"})).status_code == 201
    assert api.post(f"/api/v1/namespaces/{ns}/persistentvolumeclaims", json=pvc("task-pv-claim")).status_code == 201
    c = bound(api, ns, "task-pv-claim")
    assert c["spec"]["volumeName"] == f"{ns}-vol"
    assert c["status"] == {"phase": "Bound", "accessModes": ["ReadWriteOnce"], "capacity": {"storage": "1Gi"}}
    assert c["metadata"]["annotations"]["pv.kubernetes.io/bind-completed"] == "yes"
    assert c["metadata"]["annotations"]["pv.kubernetes.io/bound-by-controller"] == "yes"
    assert c["metadata"]["finalizers"] == ["kubernetes.io/pvc-protection"]
    v = wait_for(lambda: (x := volume(api, f"{ns}-vol")) and x["status"]["phase"] == "Bound" and x)
    ref = v["spec"]["claimRef"]
    assert (ref["kind"], ref["namespace"], ref["name"], ref["uid"], ref["apiVersion"]) == \
        ("PersistentVolumeClaim", ns, "task-pv-claim", c["metadata"]["uid"], "v1")
    assert v["metadata"]["annotations"]["pv.kubernetes.io/bound-by-controller"] == "yes"
    assert v["metadata"]["finalizers"] == ["kubernetes.io/pv-protection"]


def test_matching_rules_pick_the_smallest_fit() -> None:
    claim_obj = {"metadata": {"name": "c", "namespace": "n", "uid": "u"},
                 "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "2Gi"}},
                          "selector": {"matchLabels": {"disk": "ssd"}}}}
    ssd = {"disk": "ssd"}
    candidates = [
        pv("small", "1Gi", cls="", labels=ssd),  # too small
        pv("rox", "2Gi", cls="", modes=("ReadOnlyMany",), labels=ssd),  # modes not a superset
        pv("other-class", "2Gi", cls="fast", labels=ssd),  # class differs
        pv("unlabelled", "2Gi", cls=""),  # selector does not match
        pv("huge", "10Gi", cls="", modes=("ReadWriteOnce", "ReadWriteMany"), labels=ssd),
        pv("snug", "3Gi", cls="", labels=ssd),
        pv("taken", "2Gi", cls="", labels=ssd, claimRef={"namespace": "n", "name": "someone-else"}),
    ]
    assert best_match(candidates, claim_obj, "")["metadata"]["name"] == "snug"
    prebound = pv("prebound", "5Gi", cls="other", claimRef={"namespace": "n", "name": "c"})
    assert best_match(candidates + [prebound], claim_obj, "")["metadata"]["name"] == "prebound"


def test_claim_binds_the_smallest_available_volume(api: httpx.Client, ns: str) -> None:
    for name, size in (("big", "5Gi"), ("fit", "2Gi"), ("tiny", "500Mi")):
        api.post("/api/v1/persistentvolumes", json=pv(f"{ns}-{name}", size, cls="sized"))
    api.post(f"/api/v1/namespaces/{ns}/persistentvolumeclaims", json=pvc("want", "1Gi", cls="sized"))
    assert bound(api, ns, "want")["spec"]["volumeName"] == f"{ns}-fit"
    assert bound(api, ns, "want")["status"]["capacity"] == {"storage": "2Gi"}


def test_volume_name_prebinding(api: httpx.Client, ns: str) -> None:
    api.post("/api/v1/persistentvolumes", json=pv(f"{ns}-a", "1Gi", cls="pre"))
    api.post("/api/v1/persistentvolumes", json=pv(f"{ns}-b", "1Gi", cls="pre"))
    api.post(f"/api/v1/namespaces/{ns}/persistentvolumeclaims", json=pvc("named", cls="pre", volumeName=f"{ns}-b"))
    c = bound(api, ns, "named")
    assert c["spec"]["volumeName"] == f"{ns}-b"
    assert "pv.kubernetes.io/bound-by-controller" not in c["metadata"]["annotations"]
    api.post(f"/api/v1/namespaces/{ns}/persistentvolumeclaims", json=pvc("big", "5Gi", cls="pre", volumeName=f"{ns}-a"))
    e = wait_for(lambda: [x for x in events(api, ns, "big") if x["reason"] == "VolumeMismatch"])
    assert e[0]["message"] == f'Cannot bind to requested volume "{ns}-a": requested PV is too small'
    assert claim(api, ns, "big")["status"]["phase"] == "Pending"


def test_no_volume_and_no_class_stays_pending(api: httpx.Client, ns: str) -> None:
    api.post(f"/api/v1/namespaces/{ns}/persistentvolumeclaims", json=pvc("orphan", "7Ti", cls=""))
    e = wait_for(lambda: [x for x in events(api, ns, "orphan") if x["reason"] == "FailedBinding"])
    assert (e[0]["type"], e[0]["message"], e[0]["source"]["component"]) == \
        ("Normal", NO_CLASS, "persistentvolume-controller")
    c = claim(api, ns, "orphan")
    assert c["status"] == {"phase": "Pending"} and not c["spec"].get("volumeName")


def test_unknown_class_fails_provisioning(api: httpx.Client, ns: str) -> None:
    api.post(f"/api/v1/namespaces/{ns}/persistentvolumeclaims", json=pvc("gold", cls="gold"))
    e = wait_for(lambda: [x for x in events(api, ns, "gold") if x["reason"] == "ProvisioningFailed"])
    assert (e[0]["type"], e[0]["message"]) == ("Warning", 'storageclass.storage.k8s.io "gold" not found')


def test_dynamic_provisioning_with_the_default_class(api: httpx.Client, ns: str) -> None:
    api.post(f"/api/v1/namespaces/{ns}/persistentvolumeclaims", json=pvc("data", "3Gi", cls=None))
    c = bound(api, ns, "data")
    name = f"pvc-{c['metadata']['uid']}"
    assert c["spec"]["volumeName"] == name
    assert c["metadata"]["annotations"]["volume.kubernetes.io/storage-provisioner"] == "rancher.io/local-path"
    v = volume(api, name)
    assert v["spec"]["storageClassName"] == "standard"
    assert v["spec"]["persistentVolumeReclaimPolicy"] == "Delete"
    assert v["spec"]["capacity"] == {"storage": "3Gi"}
    assert v["metadata"]["annotations"]["pv.kubernetes.io/provisioned-by"] == "rancher.io/local-path"
    assert v["spec"]["hostPath"]["path"] == f"/var/local-path-provisioner/{name}_{ns}_data"
    reasons = [x["reason"] for x in events(api, ns, "data")]
    assert {"ExternalProvisioning", "Provisioning", "ProvisioningSucceeded"} <= set(reasons)
    # Delete reclaim policy: the volume goes with the claim
    assert api.delete(f"/api/v1/namespaces/{ns}/persistentvolumeclaims/data").status_code == 200
    wait_for(lambda: claim(api, ns, "data") is None)
    wait_for(lambda: volume(api, name) is None)


def test_retain_releases_and_recycle_makes_available(api: httpx.Client, ns: str) -> None:
    api.post("/api/v1/persistentvolumes", json=pv(f"{ns}-keep", cls="keep"))
    api.post("/api/v1/persistentvolumes", json=pv(f"{ns}-scrub", cls="scrub", policy="Recycle"))
    api.post(f"/api/v1/namespaces/{ns}/persistentvolumeclaims", json=pvc("k", cls="keep"))
    api.post(f"/api/v1/namespaces/{ns}/persistentvolumeclaims", json=pvc("s", cls="scrub"))
    bound(api, ns, "k")
    bound(api, ns, "s")
    api.delete(f"/api/v1/namespaces/{ns}/persistentvolumeclaims/k")
    api.delete(f"/api/v1/namespaces/{ns}/persistentvolumeclaims/s")
    kept = wait_for(lambda: (v := volume(api, f"{ns}-keep")) and v["status"]["phase"] == "Released" and v)
    assert kept["spec"]["claimRef"]["name"] == "k"
    scrubbed = wait_for(lambda: (v := volume(api, f"{ns}-scrub")) and v["status"]["phase"] == "Available" and
                        "claimRef" not in v["spec"] and v)
    assert scrubbed["metadata"]["name"] == f"{ns}-scrub"
    # a released volume does not bind again
    api.post(f"/api/v1/namespaces/{ns}/persistentvolumeclaims", json=pvc("k2", cls="keep"))
    wait_for(lambda: [x for x in events(api, ns, "k2") if x["reason"] == "ProvisioningFailed"])
    assert claim(api, ns, "k2")["status"]["phase"] == "Pending"


def test_pvc_protection_waits_for_the_pod(api: httpx.Client, ns: str) -> None:
    api.post("/api/v1/persistentvolumes", json=pv(f"{ns}-vol", cls="prot"))
    api.post(f"/api/v1/namespaces/{ns}/persistentvolumeclaims", json=pvc("used", cls="prot"))
    bound(api, ns, "used")
    assert api.post(f"/api/v1/namespaces/{ns}/pods", json=consumer("user", "used")).status_code == 201
    assert api.delete(f"/api/v1/namespaces/{ns}/persistentvolumeclaims/used").status_code == 200
    # pv-protection: the bound volume cannot go while its claim is there
    assert api.delete(f"/api/v1/persistentvolumes/{ns}-vol").status_code == 200
    time.sleep(0.3)
    c = claim(api, ns, "used")
    assert c is not None and c["metadata"]["deletionTimestamp"]
    assert c["metadata"]["finalizers"] == ["kubernetes.io/pvc-protection"]
    v = volume(api, f"{ns}-vol")
    assert v is not None and v["metadata"]["deletionTimestamp"] and v["status"]["phase"] == "Bound"
    assert api.delete(f"/api/v1/namespaces/{ns}/pods/user").status_code == 200
    wait_for(lambda: claim(api, ns, "used") is None)
    wait_for(lambda: volume(api, f"{ns}-vol") is None)


def test_unused_available_volume_is_deleted_at_once(api: httpx.Client, ns: str) -> None:
    api.post("/api/v1/persistentvolumes", json=pv(f"{ns}-free", cls="free"))
    wait_for(lambda: (v := volume(api, f"{ns}-free")) and v["status"]["phase"] == "Available")
    api.delete(f"/api/v1/persistentvolumes/{ns}-free")
    wait_for(lambda: volume(api, f"{ns}-free") is None)


def test_wait_for_first_consumer(api: httpx.Client, ns: str) -> None:
    sc = {"metadata": {"name": f"{ns}-wffc"}, "provisioner": "rancher.io/local-path",
          "volumeBindingMode": "WaitForFirstConsumer"}
    assert api.post("/apis/storage.k8s.io/v1/storageclasses", json=sc).status_code == 201
    api.post(f"/api/v1/namespaces/{ns}/persistentvolumeclaims", json=pvc("later", cls=f"{ns}-wffc"))
    e = wait_for(lambda: [x for x in events(api, ns, "later") if x["reason"] == "WaitForFirstConsumer"])
    assert e[0]["message"] == "waiting for first consumer to be created before binding"
    assert claim(api, ns, "later")["status"]["phase"] == "Pending"
    api.post(f"/api/v1/namespaces/{ns}/pods", json=consumer("consumer", "later"))
    bound(api, ns, "later")
