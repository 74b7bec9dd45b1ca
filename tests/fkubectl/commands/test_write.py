"""Writing commands in-process: create, apply, replace, patch, label, annotate, scale, delete."""

from __future__ import annotations

import json
from pathlib import Path

from tests.fkubectl.conftest import Cluster

DEPLOY = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: {name}
spec:
  replicas: 1
  selector:
    matchLabels: {{app: {name}}}
  template:
    metadata:
      labels: {{app: {name}}}
    spec:
      containers:
      - name: web
        image: {image}
        env:
{env}
      - name: side
        image: busybox
"""


def deployment(name: str, image: str = "nginx:1.25", env: tuple[str, ...] = ("A", "B")) -> str:
    lines = "\n".join(f"        - {{name: {e}, value: '1'}}" for e in env) or "        []"
    return DEPLOY.format(name=name, image=image, env=lines)


def live(cluster: Cluster, *args: str) -> dict:  # type: ignore[type-arg]
    result = cluster.fk("get", *args, "-o", "json")
    assert result.code == 0, result.err
    return json.loads(result.out)  # type: ignore[no-any-return]


def test_create_from_file_then_already_exists(cluster: Cluster, tmp_path: Path) -> None:
    path = tmp_path / "cm.yaml"
    path.write_text("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: created}\ndata: {a: '1'}\n")
    assert cluster.fk("create", "-f", str(path)).out == "configmap/created created\n"
    again = cluster.fk("create", "-f", str(path))
    assert again.code == 1
    assert again.err == f'Error from server (AlreadyExists): error when creating "{path}": configmaps "created" ' \
                        "already exists\n"


def test_create_generators_send_json(cluster: Cluster) -> None:
    assert cluster.fk("create", "configmap", "gen", "--from-literal=k=v").out == "configmap/gen created\n"
    assert live(cluster, "cm", "gen")["data"] == {"k": "v"}
    assert cluster.fk("create", "secret", "generic", "sec", "--from-literal=p=q").out == "secret/sec created\n"
    assert live(cluster, "secret", "sec")["data"] == {"p": "cQ=="}
    assert cluster.fk("create", "ns", "made").out == "namespace/made created\n"
    assert cluster.fk("create", "deployment", "gen", "--image=nginx").out == "deployment.apps/gen created\n"
    dry = cluster.fk("create", "deployment", "x", "--image=a/b:1", "--dry-run=client", "-o", "json")
    assert json.loads(dry.out)["spec"]["template"]["spec"]["containers"][0]["name"] == "b"
    assert dry.out.startswith('{\n    "kind": "Deployment",\n    "apiVersion": "apps/v1"')


def test_apply_create_configure_unchanged(cluster: Cluster) -> None:
    assert cluster.fk("apply", "-f", "-", stdin=deployment("app")).out == "deployment.apps/app created\n"
    obj = live(cluster, "deploy", "app")
    applied = json.loads(obj["metadata"]["annotations"]["kubectl.kubernetes.io/last-applied-configuration"])
    assert applied["metadata"] == {"annotations": {}, "name": "app", "namespace": "default"}
    assert cluster.fk("apply", "-f", "-", stdin=deployment("app")).out == "deployment.apps/app unchanged\n"
    changed = deployment("app", image="nginx:1.26", env=("A",)).replace("      - name: side\n        image: busybox\n", "")
    assert cluster.fk("apply", "-f", "-", stdin=changed).out == "deployment.apps/app configured\n"
    containers = live(cluster, "deploy", "app")["spec"]["template"]["spec"]["containers"]
    assert [(c["name"], c["image"], [e["name"] for e in c.get("env", [])]) for c in containers] == \
        [("web", "nginx:1.26", ["A"])]


def test_apply_matches_kubectl_on_the_resulting_object(cluster: Cluster) -> None:
    for name in ("kapp", "fapp"):
        assert cluster.kubectl("apply", "-f", "-", stdin=deployment(name)).code == 0
    changed = {n: deployment(n, image="nginx:1.27", env=("B",)) for n in ("kapp", "fapp")}
    assert cluster.kubectl("apply", "-f", "-", stdin=changed["kapp"]).out == "deployment.apps/kapp configured\n"
    assert cluster.fk("apply", "-f", "-", stdin=changed["fapp"]).out == "deployment.apps/fapp configured\n"

    def spec(name: str) -> object:
        return live(cluster, "deploy", name)["spec"]["template"]["spec"]["containers"]

    assert spec("kapp") == spec("fapp")


def test_apply_server_side(cluster: Cluster) -> None:
    result = cluster.fk("apply", "--server-side", "-f", "-",
                        stdin="apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ssa}\ndata: {a: '1'}\n")
    assert result.out == "configmap/ssa serverside-applied\n", result.err


def test_label_annotate_patch_scale(cluster: Cluster) -> None:
    cluster.fk("create", "deployment", "edit", "--image=nginx")
    assert cluster.fk("label", "deploy", "edit", "tier=fe").out == "deployment.apps/edit labeled\n"
    refused = cluster.fk("label", "deploy", "edit", "tier=be")
    assert refused.err == "error: 'tier' already has a value (fe), and --overwrite is false\n"
    assert cluster.fk("label", "deploy/edit", "tier-").out == "deployment.apps/edit unlabeled\n"
    assert cluster.fk("annotate", "deploy", "edit", "note=hi").out == "deployment.apps/edit annotated\n"
    assert live(cluster, "deploy", "edit")["metadata"]["annotations"]["note"] == "hi"
    assert cluster.fk("patch", "deploy", "edit", "-p", '{"spec":{"replicas":2}}').out == \
        "deployment.apps/edit patched\n"
    # "(no change)" on an object no controller writes: the deployment controller's status writes race it
    cluster.fk("create", "configmap", "still", "--from-literal=a=1")
    assert cluster.fk("patch", "cm", "still", "-p", '{"data":{"a":"1"}}').out == "configmap/still patched (no change)\n"
    assert cluster.fk("scale", "deploy", "edit", "--replicas=3").out == "deployment.apps/edit scaled\n"
    assert live(cluster, "deploy", "edit")["spec"]["replicas"] == 3
    stale = cluster.fk("scale", "deploy/edit", "--replicas=1", "--current-replicas=7")
    assert stale.err == "error: Expected replicas to be 7, was 3\n"


def test_replace_and_delete(cluster: Cluster) -> None:
    cluster.fk("create", "configmap", "swap", "--from-literal=a=1")
    obj = live(cluster, "cm", "swap")
    obj["data"] = {"a": "2"}
    assert cluster.fk("replace", "-f", "-", stdin=json.dumps(obj)).out == "configmap/swap replaced\n"
    assert live(cluster, "cm", "swap")["data"] == {"a": "2"}
    assert cluster.fk("delete", "cm", "swap").out == 'configmap "swap" deleted from default namespace\n'
    gone = cluster.fk("delete", "cm", "swap")
    assert (gone.code, gone.err) == (1, 'Error from server (NotFound): configmaps "swap" not found\n')
    assert cluster.fk("delete", "cm", "swap", "--ignore-not-found").code == 0
    assert cluster.fk("delete", "ns", "made", "--wait=false").out == 'namespace "made" deleted\n'
    assert cluster.fk("delete", "pods").err == "error: resource(s) were provided, but no name was specified\n"


def test_run_expose_set_image_and_edit(cluster: Cluster, tmp_path: Path) -> None:
    assert cluster.fk("run", "runner", "--image=busybox", "--", "sleep", "100").out == "pod/runner created\n"
    assert live(cluster, "pod", "runner")["spec"]["containers"][0]["args"] == ["sleep", "100"]
    assert cluster.fk("run", "x", "--image=busybox", "-it").err.startswith("error: attaching to a container")
    cluster.fk("create", "deployment", "shown", "--image=nginx:1.25", "--port=80")
    assert cluster.fk("expose", "deploy", "shown").out == "service/shown exposed\n"
    service = live(cluster, "svc", "shown")
    assert service["spec"]["selector"] == {"app": "shown"} and service["spec"]["ports"][0]["port"] == 80
    assert cluster.fk("set", "image", "deploy/shown", "nginx=nginx:1.26").out == "deployment.apps/shown image updated\n"
    assert live(cluster, "deploy", "shown")["spec"]["template"]["spec"]["containers"][0]["image"] == "nginx:1.26"
    assert cluster.fk("set", "image", "deploy/shown", "nope=x").err == 'error: unable to find container named "nope"\n'
    editor = tmp_path / "editor.sh"
    editor.write_text("#!/bin/sh\nsed -i 's/replicas: 1/replicas: 4/' \"$1\"\n")
    editor.chmod(0o755)
    edited = cluster.fk("edit", "deploy/shown", env={"EDITOR": str(editor)})
    assert edited.out == "deployment.apps/shown edited\n", edited.err
    assert live(cluster, "deploy", "shown")["spec"]["replicas"] == 4
    unchanged = cluster.fk("edit", "deploy/shown", env={"EDITOR": "true"})
    assert (unchanged.out, unchanged.err) == ("", "Edit cancelled, no changes made.\n")
