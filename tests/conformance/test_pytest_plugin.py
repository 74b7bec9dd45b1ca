"""The pytest plugin as users meet it: installing fakeapi registers (entry point `pytest11`) a `fakeapi`
fixture, a fresh in-memory server per test, used with the official client exactly as the README shows.
"""

from __future__ import annotations

import subprocess
import sys
from importlib.metadata import entry_points
from pathlib import Path

import pytest
from kubernetes import client, config

USER_TESTS = '''
from kubernetes import client, config


def test_configmap_roundtrip(fakeapi):
    config.load_kube_config(config_file=str(fakeapi.kubeconfig))
    core = client.CoreV1Api()
    core.create_namespaced_config_map("default", {"metadata": {"name": "demo"}, "data": {"k": "v"}})
    assert core.read_namespaced_config_map("demo", "default").data == {"k": "v"}


def test_second_test_gets_a_fresh_server(fakeapi):
    config.load_kube_config(config_file=str(fakeapi.kubeconfig))
    core = client.CoreV1Api()
    assert "demo" not in [cm.metadata.name for cm in core.list_namespaced_config_map("default").items]
    assert {ns.metadata.name for ns in core.list_namespace().items} >= {"default", "kube-system"}


def test_third_server_in_the_same_process(fakeapi):
    config.load_kube_config(config_file=str(fakeapi.kubeconfig))
    assert client.VersionApi().get_code().git_version == "v1.37.0"
'''


def test_plugin_is_registered_through_the_entry_point(pytestconfig: pytest.Config) -> None:
    plugins = {ep.name: ep.value for ep in entry_points(group="pytest11")}
    assert plugins.get("fakeapi") == "fakeapi.pytest_plugin"
    assert pytestconfig.pluginmanager.hasplugin("fakeapi")


def test_fixture_with_the_official_client(fakeapi) -> None:  # type: ignore[no-untyped-def]
    assert fakeapi.url.startswith("http://127.0.0.1:")
    assert Path(fakeapi.kubeconfig).is_file()
    config.load_kube_config(config_file=str(fakeapi.kubeconfig))
    core = client.CoreV1Api()
    core.create_namespaced_config_map("default", {"metadata": {"name": "demo"}, "data": {"k": "v"}})
    assert core.read_namespaced_config_map("demo", "default").data == {"k": "v"}
    apps = client.AppsV1Api()
    assert apps.list_namespaced_deployment("default").items == []


def test_user_project_runs_the_documented_example(tmp_path: Path) -> None:
    """A separate pytest run, outside this repository's conftest: only the installed entry point provides
    the fixture. Three tests in one process also prove that consecutive servers start."""
    (tmp_path / "test_user.py").write_text(USER_TESTS)
    proc = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "test_user.py"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "3 passed" in proc.stdout
