from __future__ import annotations

import copy
from datetime import datetime, timedelta, timezone

import pytest

from fakeapi.errors import StatusError
from fakeapi.registry.store import ResourceStore
from fakeapi.resources.core_v1 import namespaces, pods
from fakeapi.resources.core_v1.pods import RESOURCE, TABLE, default_pod_template, pod_qos_class
from fakeapi.resources.core_v1.podspec import pull_policy, validate_pod_spec
from fakeapi.storage import MemoryStorage

NOW = datetime(2025, 1, 1, 12, 0, 0, tzinfo=timezone.utc)
CREATED = "2025-01-01T11:55:00Z"


def ago(seconds: int) -> str:
    return (NOW - timedelta(seconds=seconds)).strftime("%Y-%m-%dT%H:%M:%SZ")


def store() -> ResourceStore:
    s = ResourceStore(MemoryStorage())
    s.create(namespaces.RESOURCE, None, {"metadata": {"name": "default"}})
    return s


def create(obj: dict) -> dict:
    return store().create(RESOURCE, "default", obj).obj


def pod(*containers: dict, **spec: object) -> dict:
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "web", "namespace": "default"},
            "spec": {"containers": list(containers) or [{"name": "web", "image": "nginx"}], **spec}}


def errors(obj: dict) -> list[str]:
    strategy = RESOURCE.strategy
    strategy.defaults(obj)
    strategy.prepare_for_create(obj)
    return [str(e) for e in strategy.validate(obj)]


# ---- defaults ------------------------------------------------------------------------------------

def test_create_fills_the_defaults_the_seed_yaml_shows() -> None:
    obj = create(pod({"name": "task-pv-container", "image": "nginx",
                      "ports": [{"containerPort": 80, "name": "http-server"}]}))
    spec = obj["spec"]
    c = spec["containers"][0]
    assert c["imagePullPolicy"] == "Always"
    assert c["ports"] == [{"containerPort": 80, "name": "http-server", "protocol": "TCP"}]
    assert c["resources"] == {}
    assert c["terminationMessagePath"] == "/dev/termination-log"
    assert c["terminationMessagePolicy"] == "File"
    for key, value in {"dnsPolicy": "ClusterFirst", "restartPolicy": "Always", "schedulerName": "default-scheduler",
                       "securityContext": {}, "serviceAccount": "default", "serviceAccountName": "default",
                       "terminationGracePeriodSeconds": 30, "enableServiceLinks": True, "priority": 0,
                       "preemptionPolicy": "PreemptLowerPriority"}.items():
        assert spec[key] == value, key
    assert spec["tolerations"] == [
        {"effect": "NoExecute", "key": "node.kubernetes.io/not-ready", "operator": "Exists", "tolerationSeconds": 300},
        {"effect": "NoExecute", "key": "node.kubernetes.io/unreachable", "operator": "Exists", "tolerationSeconds": 300},
    ]
    assert obj["status"] == {"phase": "Pending", "qosClass": "BestEffort"}
    assert obj["metadata"]["generation"] == 1


def test_service_account_admission_mounts_the_projected_token() -> None:
    spec = create(pod())["spec"]
    volume = spec["volumes"][-1]
    assert volume["name"].startswith("kube-api-access-") and len(volume["name"]) == len("kube-api-access-") + 5
    assert volume["projected"]["defaultMode"] == 420
    assert volume["projected"]["sources"][0] == {"serviceAccountToken": {"expirationSeconds": 3607, "path": "token"}}
    assert spec["containers"][0]["volumeMounts"] == [
        {"name": volume["name"], "readOnly": True, "mountPath": "/var/run/secrets/kubernetes.io/serviceaccount"}]


def test_automount_false_and_mirror_pods_skip_the_token() -> None:
    spec = create(pod(automountServiceAccountToken=False))["spec"]
    assert "volumes" not in spec and spec["serviceAccountName"] == "default"
    mirror = pod(nodeName="node1")
    mirror["metadata"]["annotations"] = {"kubernetes.io/config.mirror": "abc"}
    mirror["spec"]["tolerations"] = [{"operator": "Exists", "effect": "NoExecute"}]
    spec = create(mirror)["spec"]
    assert "serviceAccountName" not in spec and "volumes" not in spec
    assert spec["tolerations"] == [{"operator": "Exists", "effect": "NoExecute"}]


@pytest.mark.parametrize(("image", "policy"), [
    ("nginx", "Always"), ("nginx:latest", "Always"), ("nginx:1.15.4", "IfNotPresent"),
    ("nginx@sha256:96fb261b66270b900ea5a2c17a26abbfabe95506e73c3a3c65869a6dbe83223a", "IfNotPresent"),
    ("localhost:5000/app", "Always"), ("192.168.80.30/kgc-project/tomcat:v1", "IfNotPresent"),
    ("busybox:1.28", "IfNotPresent"), ("", "IfNotPresent"),
])
def test_image_pull_policy_default(image: str, policy: str) -> None:
    assert pull_policy(image) == policy


def test_probe_and_handler_defaults() -> None:
    spec = create(pod({"name": "web", "image": "nginx:1.25",
                       "livenessProbe": {"httpGet": {"port": 80}},
                       "readinessProbe": {"tcpSocket": {"port": 80}, "periodSeconds": 5}}))["spec"]
    c = spec["containers"][0]
    assert c["livenessProbe"] == {"httpGet": {"port": 80, "path": "/", "scheme": "HTTP"}, "timeoutSeconds": 1,
                                  "periodSeconds": 10, "successThreshold": 1, "failureThreshold": 3}
    assert c["readinessProbe"]["periodSeconds"] == 5
    assert c["imagePullPolicy"] == "IfNotPresent"


def test_limits_become_requests_and_guaranteed_qos() -> None:
    obj = create(pod({"name": "web", "image": "nginx", "resources": {"limits": {"cpu": "500m", "memory": "128Mi"}}}))
    assert obj["spec"]["containers"][0]["resources"]["requests"] == {"cpu": "500m", "memory": "128Mi"}
    assert obj["status"]["qosClass"] == "Guaranteed"


@pytest.mark.parametrize(("resources", "qos"), [
    ({}, "BestEffort"),
    ({"requests": {"cpu": "100m"}}, "Burstable"),
    ({"requests": {"cpu": "100m", "memory": "1Gi"}, "limits": {"cpu": "200m", "memory": "1Gi"}}, "Burstable"),
    ({"requests": {"cpu": "1", "memory": "1Gi"}, "limits": {"cpu": "1000m", "memory": "1024Mi"}}, "Guaranteed"),
])
def test_qos_class(resources: dict, qos: str) -> None:
    assert pod_qos_class(pod({"name": "a", "image": "x", "resources": resources})) == qos


def test_template_defaults_leave_pod_only_fields_out() -> None:
    template = {"metadata": {"labels": {"app": "nginx"}},
                "spec": {"containers": [{"image": "nginx:latest", "name": "nginx"}]}}
    default_pod_template(template)
    assert template == {"metadata": {"labels": {"app": "nginx"}}, "spec": {
        "containers": [{"image": "nginx:latest", "imagePullPolicy": "Always", "name": "nginx", "resources": {},
                        "terminationMessagePath": "/dev/termination-log", "terminationMessagePolicy": "File"}],
        "dnsPolicy": "ClusterFirst", "restartPolicy": "Always", "schedulerName": "default-scheduler",
        "securityContext": {}, "terminationGracePeriodSeconds": 30}}


def test_volume_defaults() -> None:
    spec = create(pod({"name": "web", "image": "nginx", "volumeMounts": [{"name": "s", "mountPath": "/s"}]},
                      volumes=[{"name": "s", "secret": {"secretName": "x"}}, {"name": "e"},
                               {"name": "h", "hostPath": {"path": "/tmp"}}]))["spec"]
    assert spec["volumes"][:3] == [{"name": "s", "secret": {"secretName": "x", "defaultMode": 420}},
                                   {"name": "e", "emptyDir": {}},
                                   {"name": "h", "hostPath": {"path": "/tmp", "type": ""}}]


# ---- validation ----------------------------------------------------------------------------------

def test_containers_required() -> None:
    obj = pod()
    obj["spec"]["containers"] = []
    assert errors(obj) == ["spec.containers: Required value"]


def test_container_name_and_image() -> None:
    assert errors(pod({"name": "Web_1", "image": ""})) == [
        'spec.containers[0].name: Invalid value: "Web_1": a lowercase RFC 1123 label must consist of lower case '
        "alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  "
        "or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
        "spec.containers[0].image: Required value",
    ]


def test_duplicate_names_across_init_and_app_containers() -> None:
    obj = pod({"name": "x", "image": "nginx"}, initContainers=[{"name": "x", "image": "busybox"}])
    assert errors(obj) == ['spec.initContainers[0].name: Duplicate value: "x"']


def test_restart_policy_and_pull_policy_not_supported() -> None:
    obj = pod({"name": "a", "image": "nginx", "imagePullPolicy": "Sometimes"}, restartPolicy="Sometimes")
    assert errors(obj) == [
        'spec.containers[0].imagePullPolicy: Unsupported value: "Sometimes": supported values: '
        '"Always", "IfNotPresent", "Never"',
        'spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"',
    ]


def test_container_port_range() -> None:
    assert errors(pod({"name": "a", "image": "nginx", "ports": [{"containerPort": 70000}]})) == [
        "spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive"]


def test_readiness_probe_forbidden_on_init_containers() -> None:
    obj = pod(initContainers=[{"name": "init", "image": "busybox", "readinessProbe": {"exec": {"command": ["true"]}}}])
    assert errors(obj) == [
        "spec.initContainers[0].readinessProbe: Forbidden: may not be set for init containers without restartPolicy=Always"]


def test_probe_needs_a_handler() -> None:
    assert errors(pod({"name": "a", "image": "nginx", "livenessProbe": {"periodSeconds": 3}})) == [
        "spec.containers[0].livenessProbe: Required value: must specify a handler type"]


def test_mount_of_unknown_volume() -> None:
    obj = pod({"name": "a", "image": "nginx", "volumeMounts": [{"name": "data", "mountPath": "/data"}]})
    assert errors(obj) == ['spec.containers[0].volumeMounts[0].name: Not found: "data"']


def test_requests_above_limits() -> None:
    obj = pod({"name": "a", "image": "nginx", "resources": {"requests": {"cpu": "2"}, "limits": {"cpu": "1"}}})
    assert errors(obj) == ['spec.containers[0].resources.requests: Invalid value: "2": must be less than or equal '
                           "to cpu limit of 1"]


def test_template_paths_are_rooted_at_the_field() -> None:
    assert [str(e) for e in validate_pod_spec({"containers": [{"name": "a"}]}, "spec.template.spec")][:1] == [
        "spec.template.spec.terminationGracePeriodSeconds: Required value"]


# ---- updates -------------------------------------------------------------------------------------

def test_only_images_may_change_and_spec_changes_bump_generation() -> None:
    s = store()
    created = s.create(RESOURCE, "default", pod({"name": "web", "image": "nginx:1.24"})).obj
    changed = copy.deepcopy(created)
    changed["spec"]["containers"][0]["image"] = "nginx:1.25"
    updated = s.update(RESOURCE, "default", "web", changed).obj
    assert updated["metadata"]["generation"] == 2
    bad = copy.deepcopy(updated)
    bad["spec"]["containers"][0]["ports"] = [{"containerPort": 8080}]
    with pytest.raises(StatusError) as exc:
        s.update(RESOURCE, "default", "web", bad)
    assert exc.value.code == 422
    assert exc.value.message.startswith(
        'Pod "web" is invalid: spec: Forbidden: pod updates may not change fields other than '
        "`spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,"
        "`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` "
        "(allow it to be set to 1 if it was previously negative)")


def test_status_update_keeps_spec_and_qos() -> None:
    s = store()
    created = s.create(RESOURCE, "default", pod()).obj
    new = copy.deepcopy(created)
    new["status"] = {"phase": "Running"}
    new["spec"]["containers"][0]["image"] = "ignored"
    updated = s.update(RESOURCE, "default", "web", new, subresource="status").obj
    assert updated["status"] == {"phase": "Running", "qosClass": "BestEffort"}
    assert updated["spec"]["containers"][0]["image"] == "nginx"
    assert updated["metadata"]["generation"] == 1


# ---- table ---------------------------------------------------------------------------------------

def row(status: dict, *, containers: int = 1, init: int = 0, deleting: bool = False, **spec: object) -> list:
    obj = {"metadata": {"name": "p", "creationTimestamp": CREATED},
           "spec": {"containers": [{"name": f"c{i}"} for i in range(containers)],
                    "initContainers": [{"name": f"i{i}"} for i in range(init)], **spec},
           "status": status}
    if deleting:
        obj["metadata"]["deletionTimestamp"] = ago(0)
    return TABLE.cells(obj, NOW)


def cs(name: str, **state: object) -> dict:
    return {"name": name, "ready": state.pop("ready", False), "restartCount": state.pop("restarts", 0), **state}


def test_pending_and_container_creating() -> None:
    assert row({"phase": "Pending"})[:5] == ["p", "0/1", "Pending", "0", "5m"]
    creating = {"phase": "Pending", "containerStatuses": [cs("c0", state={"waiting": {"reason": "ContainerCreating"}})]}
    assert row(creating)[2] == "ContainerCreating"


def test_init_progress_and_crashloop() -> None:
    waiting = {"phase": "Pending", "initContainerStatuses": [
        cs("i0", state={"running": {}}), cs("i1", state={"waiting": {"reason": "PodInitializing"}})]}
    assert row(waiting, init=2)[1:3] == ["0/1", "Init:0/2"]
    crash = {"phase": "Pending", "initContainerStatuses": [
        cs("i0", restarts=3, state={"waiting": {"reason": "CrashLoopBackOff"}},
           lastState={"terminated": {"exitCode": 1, "finishedAt": ago(20)}})]}
    assert row(crash, init=2)[2:4] == ["Init:CrashLoopBackOff", "3 (20s ago)"]
    failed = {"phase": "Pending", "initContainerStatuses": [cs("i0", state={"terminated": {"exitCode": 2}})]}
    assert row(failed, init=1)[2] == "Init:ExitCode:2"


def test_running_and_crashloop_with_restarts() -> None:
    running = {"phase": "Running", "podIP": "10.244.0.5", "podIPs": [{"ip": "10.244.0.5"}],
               "containerStatuses": [cs("c0", ready=True, state={"running": {"startedAt": ago(60)}})]}
    assert row(running, nodeName="node1") == ["p", "1/1", "Running", "0", "5m", "10.244.0.5", "node1", "<none>", "<none>"]
    crash = {"phase": "Running", "containerStatuses": [cs(
        "c0", restarts=4, state={"waiting": {"reason": "CrashLoopBackOff"}},
        lastState={"terminated": {"exitCode": 1, "reason": "Error", "finishedAt": ago(10)}})]}
    assert row(crash)[1:4] == ["0/1", "CrashLoopBackOff", "4 (10s ago)"]


def test_completed_error_terminating_notready() -> None:
    done = {"phase": "Succeeded", "containerStatuses": [cs("c0", state={"terminated": {"exitCode": 0, "reason": "Completed"}})]}
    assert row(done)[2] == "Completed"
    failed = {"phase": "Failed", "containerStatuses": [cs("c0", state={"terminated": {"exitCode": 1, "reason": "Error"}})]}
    assert row(failed)[2] == "Error"
    running = {"phase": "Running", "containerStatuses": [cs("c0", ready=True, state={"running": {}})]}
    assert row(running, deleting=True)[2] == "Terminating"
    assert row(done, deleting=True)[2] == "Completed"
    mixed = {"phase": "Running", "conditions": [{"type": "Ready", "status": "False"}], "containerStatuses": [
        cs("c0", ready=True, state={"running": {}}),
        cs("c1", state={"terminated": {"exitCode": 0, "reason": "Completed"}})]}
    assert row(mixed, containers=2)[1:3] == ["1/2", "NotReady"]
    mixed["conditions"] = [{"type": "Ready", "status": "True"}]
    assert row(mixed, containers=2)[2] == "Running"


def test_scheduling_gated_and_readiness_gates() -> None:
    gated = {"phase": "Pending", "conditions": [{"type": "PodScheduled", "status": "False", "reason": "SchedulingGated"},
                                                {"type": "example.com/ready", "status": "True"}]}
    cells = row(gated, readinessGates=[{"conditionType": "example.com/ready"}, {"conditionType": "x/y"}])
    assert cells[2] == "SchedulingGated" and cells[8] == "1/2"


def test_sidecars_count_in_ready_total() -> None:
    status = {"phase": "Running", "conditions": [{"type": "Initialized", "status": "True"}],
              "initContainerStatuses": [cs("i0", ready=True, started=True, state={"running": {}})],
              "containerStatuses": [cs("c0", ready=True, state={"running": {}})]}
    obj = {"metadata": {"name": "p", "creationTimestamp": CREATED}, "status": status,
           "spec": {"containers": [{"name": "c0"}], "initContainers": [{"name": "i0", "restartPolicy": "Always"}]}}
    assert TABLE.cells(obj, NOW)[1:3] == ["2/2", "Running"]
    assert row(status, init=1)[1:3] == ["1/1", "Init:0/1"]


def test_completed_row_condition_and_columns() -> None:
    assert TABLE.conditions({"status": {"phase": "Succeeded"}}) == [
        {"type": "Completed", "status": "True", "reason": "Succeeded", "message": "The pod has completed successfully."}]
    assert TABLE.conditions({"status": {"phase": "Running"}}) == []
    assert [(c.name, c.type, c.priority) for c in TABLE.columns] == [
        ("Name", "string", 0), ("Ready", "string", 0), ("Status", "string", 0), ("Restarts", "string", 0),
        ("Age", "string", 0), ("IP", "string", 1), ("Node", "string", 1), ("Nominated Node", "string", 1),
        ("Readiness Gates", "string", 1)]


# ---- fields, grace, discovery --------------------------------------------------------------------

def test_selectable_fields() -> None:
    obj = create(pod(nodeName="node1"))
    assert RESOURCE.strategy.selectable_fields(obj) == {
        "metadata.name": "web", "metadata.namespace": "default", "spec.nodeName": "node1",
        "spec.restartPolicy": "Always", "spec.schedulerName": "default-scheduler",
        "spec.serviceAccountName": "default", "spec.hostNetwork": "false", "status.phase": "Pending",
        "status.podIP": "", "status.nominatedNodeName": ""}
    assert set(RESOURCE.selectable_fields) == set(RESOURCE.strategy.selectable_fields(obj)) - {
        "metadata.name", "metadata.namespace"}


@pytest.mark.parametrize(("node", "phase", "requested", "grace"), [
    ("node1", "Running", None, 30), ("node1", "Running", 5, 5), ("", "Pending", 10, 0),
    ("node1", "Succeeded", None, 0), ("node1", "Running", -3, 1),
])
def test_grace_period(node: str, phase: str, requested: int | None, grace: int) -> None:
    obj = {"spec": {"nodeName": node, "terminationGracePeriodSeconds": 30}, "status": {"phase": phase}}
    assert RESOURCE.strategy.grace_period(obj, requested) == grace


def test_discovery() -> None:
    assert RESOURCE.short_names == ("po",) and RESOURCE.categories == ("all",)
    assert RESOURCE.subresources["log"].kind == "Pod" and RESOURCE.subresources["log"].verbs == ("get",)
    assert RESOURCE.subresources["eviction"].group == "policy"
    assert RESOURCE.return_deleted_object
    assert pods.RESOURCE.strategy is RESOURCE.strategy
