"""`fkubectl get` in-process against a running fakeapi."""

from __future__ import annotations

import json
import threading
import time

import pytest

from tests.fkubectl.conftest import Cluster

MANIFEST = """apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  labels: {app: web, tier: fe, suite: get}
data: {a: "1", b: "2"}
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: other
  labels: {suite: get}
data: {a: "1"}
"""


@pytest.fixture(scope="module", autouse=True)
def objects(cluster: Cluster) -> None:
    assert cluster.fk("create", "-f", "-", stdin=MANIFEST).code == 0
    assert cluster.fk("create", "namespace", "team").code == 0


def test_table(cluster: Cluster) -> None:
    result = cluster.fk("get", "configmaps", "-l", "suite=get")
    lines = result.out.splitlines()
    assert lines[0].split() == ["NAME", "DATA", "AGE"]
    assert [line.split()[:2] for line in lines[1:]] == [["other", "1"], ["settings", "2"]]
    assert result.code == 0 and result.err == ""


def test_named_selector_and_labels(cluster: Cluster) -> None:
    assert cluster.fk("get", "cm", "settings", "--no-headers").out.split()[:2] == ["settings", "2"]
    result = cluster.fk("get", "cm", "-l", "app=web", "-L", "tier", "--show-labels")
    assert result.out.splitlines()[0].split() == ["NAME", "DATA", "AGE", "TIER", "LABELS"]
    assert result.out.splitlines()[1].split()[-2:] == ["fe", "app=web,suite=get,tier=fe"]


def test_all_namespaces_and_empty_results(cluster: Cluster) -> None:
    assert cluster.fk("get", "cm", "-A").out.splitlines()[0].startswith("NAMESPACE         NAME")
    empty = cluster.fk("get", "cm", "-n", "team", "-l", "suite=get")
    assert (empty.code, empty.out, empty.err) == (0, "", "No resources found in team namespace.\n")
    assert cluster.fk("get", "pv").err == "No resources found\n"


def test_outputs(cluster: Cluster) -> None:
    obj = json.loads(cluster.fk("get", "configmap/settings", "-o", "json").out)
    assert obj["kind"] == "ConfigMap" and "managedFields" not in obj["metadata"]
    listing = json.loads(cluster.fk("get", "cm", "-l", "suite=get", "-o", "json").out)
    assert listing["kind"] == "List" and len(listing["items"]) == 2
    assert cluster.fk("get", "cm", "-l", "suite=get", "-o", "name").out == "configmap/other\nconfigmap/settings\n"
    assert cluster.fk("get", "cm", "-l", "suite=get", "-o", "jsonpath={.items[*].metadata.name}").out == \
        "other settings"
    assert cluster.fk("get", "cm", "settings", "-o", "yaml").out.startswith("apiVersion: v1\ndata:\n  a: \"1\"\n")
    cols = cluster.fk("get", "cm", "-l", "suite=get", "-o", "custom-columns=N:.metadata.name,A:.data.a",
                      "--sort-by=.metadata.name")
    assert cols.out == "N          A\nother      1\nsettings   1\n"


def test_several_kinds_get_prefixes_and_blank_lines(cluster: Cluster) -> None:
    out = cluster.fk("get", "cm,ns", "-o", "wide").out
    blocks = out.split("\n\n")
    assert any(line.startswith("configmap/other ") for line in blocks[0].splitlines())
    assert any(line.startswith("namespace/team") for line in blocks[1].splitlines())


def test_errors(cluster: Cluster) -> None:
    missing = cluster.fk("get", "cm", "settings", "nope")
    assert missing.code == 1
    assert missing.out.split()[:4] == ["NAME", "DATA", "AGE", "settings"]
    assert missing.err == 'Error from server (NotFound): configmaps "nope" not found\n'
    assert cluster.fk("get", "cm", "nope", "--ignore-not-found").code == 0
    assert cluster.fk("get", "foo").err == 'error: the server doesn\'t have a resource type "foo"\n'
    assert cluster.fk("get", "cm", "x", "-A").err == \
        "error: a resource cannot be retrieved by name across all namespaces\n"
    assert cluster.fk("get", "cm", "--bogus").err == \
        "error: unknown flag: --bogus\nSee 'fkubectl get --help' for usage.\n"
    assert "You must specify the type of resource to get." in cluster.fk("get").err


def test_watch_prints_rows_for_changes(cluster: Cluster) -> None:
    def later() -> None:
        time.sleep(0.3)
        cluster.fk("label", "cm", "other", "touched=yes")

    threading.Thread(target=later).start()
    result = cluster.fk_proc("get", "cm", "other", "-w", "--request-timeout=2s", timeout=10)
    lines = result.out.splitlines()
    assert lines[0].split() == ["NAME", "DATA", "AGE"]
    assert len(lines) >= 3 and all(line.startswith("other") for line in lines[1:])
