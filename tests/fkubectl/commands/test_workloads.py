"""Commands that follow the simulated cluster: wait, rollout, logs, describe."""

from __future__ import annotations

import pytest

from tests.fkubectl.conftest import Cluster


@pytest.fixture(scope="module", autouse=True)
def web(cluster: Cluster) -> None:
    assert cluster.fk("create", "deployment", "roll", "--image=nginx:1.25", "--replicas=2").code == 0
    assert cluster.fk("wait", "--for=condition=Available", "deploy/roll", "--timeout=30s").code == 0


def test_wait_messages(cluster: Cluster) -> None:
    assert cluster.fk("wait", "--for=condition=Available", "deploy/roll").out == \
        "deployment.apps/roll condition met\n"
    assert cluster.fk("wait", "--for=jsonpath={.spec.replicas}=2", "deploy/roll").out == \
        "deployment.apps/roll condition met\n"
    timeout = cluster.fk("wait", "--for=condition=Nope", "deploy/roll", "--timeout=0.3s")
    assert (timeout.code, timeout.err) == (1, "error: timed out waiting for the condition on deployments/roll\n")


def test_rollout_cycle(cluster: Cluster) -> None:
    assert cluster.fk("rollout", "status", "deploy/roll").out == 'deployment "roll" successfully rolled out\n'
    patch = '{"spec":{"template":{"spec":{"containers":[{"name":"nginx","image":"nginx:1.26"}]}}}}'
    assert cluster.fk("patch", "deploy", "roll", "-p", patch).code == 0
    status = cluster.fk("rollout", "status", "deploy/roll", "--timeout=30s")
    assert status.code == 0 and status.out.endswith('deployment "roll" successfully rolled out\n')
    history = cluster.fk("rollout", "history", "deploy/roll").out
    assert history == "deployment.apps/roll \nREVISION  CHANGE-CAUSE\n1         <none>\n2         <none>\n\n"
    assert cluster.fk("rollout", "undo", "deploy/roll").out == "deployment.apps/roll rolled back\n"
    assert cluster.fk("rollout", "status", "deploy/roll", "--timeout=30s").code == 0
    image = cluster.fk("get", "deploy", "roll", "-o", "jsonpath={.spec.template.spec.containers[0].image}").out
    assert image == "nginx:1.25"
    assert cluster.fk("rollout", "pause", "deploy/roll").out == "deployment.apps/roll paused\n"
    again = cluster.fk("rollout", "pause", "deploy/roll")
    assert again.err == 'error: deployments.apps "roll" is already paused\n'
    assert cluster.fk("rollout", "restart", "deploy/roll").err == \
        'error: deployments.apps "roll" can\'t restart paused deployment (run rollout resume first)\n'
    assert cluster.fk("rollout", "resume", "deploy/roll").out == "deployment.apps/roll resumed\n"
    assert cluster.fk("rollout", "restart", "deploy/roll").out == "deployment.apps/roll restarted\n"


def test_logs_of_a_workload(cluster: Cluster) -> None:
    result = cluster.fk("logs", "deploy/roll", "--tail=1")
    assert result.code == 0 and result.err.startswith("Found ")
    assert cluster.fk("logs", "nope").err == \
        'error: error from server (NotFound): pods "nope" not found in namespace "default"\n'


def test_generic_describer_for_kinds_without_one(cluster: Cluster) -> None:
    out = cluster.fk("describe", "lease", "-n", "kube-node-lease").out
    assert out.startswith("Name:         fakeapi-")
    assert "API Version:  coordination.k8s.io/v1" in out and "Holder Identity:" in out
