from __future__ import annotations

import os
from pathlib import Path

import pytest

from fkubectl.config import kubeconfig as kc
from fkubectl.config.clientconfig import ConfigurationError, GlobalOptions, parse_timeout, resolve


def write(path: Path, text: str) -> str:
    path.write_text(text)
    return str(path)


FIRST = """apiVersion: v1
kind: Config
clusters:
- name: a
  cluster: {server: "https://a.example:6443", certificate-authority: ca.crt}
users:
- name: a
  user: {token: first}
contexts:
- name: a
  context: {cluster: a, user: a, namespace: team-a}
- name: shared
  context: {cluster: a, user: a}
current-context: a
"""
SECOND = """apiVersion: v1
kind: Config
clusters:
- name: b
  cluster: {server: "http://b.example:8080"}
contexts:
- name: shared
  context: {cluster: b, user: a}
- name: b
  context: {cluster: b}
current-context: b
"""


def test_env_list_merges_first_definition_wins(tmp_path: Path) -> None:
    one = write(tmp_path / "one", FIRST)
    two = write(tmp_path / "two", SECOND)
    cfg = kc.load(environ={"KUBECONFIG": os.pathsep.join([one, "", str(tmp_path / "missing"), two, one])})
    assert cfg.files == [one, two]
    assert cfg.current_context == "a"
    assert cfg.contexts["shared"]["cluster"] == "a"
    assert set(cfg.clusters) == {"a", "b"}
    assert cfg.origin[("clusters", "b")] == two


def test_explicit_file_must_exist(tmp_path: Path) -> None:
    with pytest.raises(kc.ConfigFileError, match="no such file or directory"):
        kc.load(str(tmp_path / "nope"), environ={})


def test_no_kubeconfig_means_localhost_8080(tmp_path: Path) -> None:
    cfg = kc.load(environ={"KUBECONFIG": str(tmp_path / "missing")})
    cc = resolve(cfg, GlobalOptions())
    assert cc.server == "http://localhost:8080" and cc.namespace == "default"


def test_resolution_overrides_and_relative_paths(tmp_path: Path) -> None:
    cfg = kc.load(write(tmp_path / "config", FIRST), environ={})
    cc = resolve(cfg, GlobalOptions())
    assert (cc.server, cc.namespace, cc.token) == ("https://a.example:6443", "team-a", "first")
    assert cc.ca_file == str(tmp_path / "ca.crt")
    assert not cc.explicit_namespace
    cc = resolve(cfg, GlobalOptions(namespace="x", server="127.0.0.1:9999", context="shared"))
    assert (cc.server, cc.namespace, cc.explicit_namespace) == ("https://127.0.0.1:9999", "x", True)


def test_unknown_context_is_kubectls_configuration_error(tmp_path: Path) -> None:
    cfg = kc.load(write(tmp_path / "config", FIRST), environ={})
    with pytest.raises(ConfigurationError) as info:
        resolve(cfg, GlobalOptions(context="nope"))
    assert str(info.value) == "Error in configuration: context was not found for specified context: nope"


def test_default_file_rules(tmp_path: Path) -> None:
    one, two = str(tmp_path / "one"), str(tmp_path / "two")
    cfg = kc.load(environ={"KUBECONFIG": os.pathsep.join([one, two])})
    assert cfg.default_file() == two
    write(tmp_path / "one", FIRST)
    cfg = kc.load(environ={"KUBECONFIG": os.pathsep.join([one, two])})
    assert cfg.default_file() == one


@pytest.mark.parametrize(("raw", "seconds"), [("0", None), ("", None), ("5", 5.0), ("1m30s", 90.0),
                                              ("2h", 7200.0), ("250ms", 0.25)])
def test_request_timeout(raw: str, seconds: float | None) -> None:
    assert parse_timeout(raw) == seconds
