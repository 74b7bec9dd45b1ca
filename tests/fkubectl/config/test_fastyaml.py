from __future__ import annotations

import pytest
import yaml

from fkubectl.config.fastyaml import Unsupported, load

KIND_CONFIG = """apiVersion: v1
clusters:
- cluster:
    certificate-authority-data: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUJkekNDQVIyZ0F3SUJBZ0lCQURBS0JnZ3Foa2pPUFFR==
    server: https://127.0.0.1:6443  # the API server
  name: kind-kind
contexts:
- context:
    cluster: kind-kind
    namespace: default
    user: kind-kind
  name: kind-kind
current-context: kind-kind
kind: Config
preferences: {}
users:
- name: kind-kind
  user:
    token: "abc:def"
    password: 'it''s'
    exec:
      apiVersion: client.authentication.k8s.io/v1beta1
      args:
      - --region
      - eu-west-1
      command: aws
      env: null
      interactiveMode: IfAvailable
      provideClusterInfo: false
"""


def test_matches_pyyaml_on_a_real_kubeconfig() -> None:
    assert load(KIND_CONFIG) == yaml.safe_load(KIND_CONFIG)


@pytest.mark.parametrize("text", [
    "a:\n  - 1\n  - b\n", "- a\n- - b\n  - c\n- d: e\n  f: g\n", "x:\n", "a: ''\nb: \"\"\n", "num: -12\nzero: 0\n",
    "k: v # comment\n# full line\n", "a:\n  b:\n    c: [ ]\n".replace("[ ]", "[]"),
])
def test_subset_equals_pyyaml(text: str) -> None:
    assert load(text) == yaml.safe_load(text)


@pytest.mark.parametrize("text", [
    "a: b\n  c: d\n", "a: |\n  x\n", "a: yes\n", "a: 1.2.3\n", "a: [1]\n", "a: @x\n", "x: a: b\n", "y: 012\n",
    "a: &anchor 1\n", "--- \na: 1\n", "a: 0x1F\n", "a:\n\t- 1\n",
])
def test_anything_else_is_refused_not_misread(text: str) -> None:
    with pytest.raises(Unsupported):
        load(text)
