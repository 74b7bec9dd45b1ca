from __future__ import annotations

import pytest

from fkubectl.printers import jsonpath

DATA = {"kind": "List", "items": [
    {"metadata": {"name": "a", "labels": {"app": "web"}}, "status": {"phase": "Running", "conditions": [
        {"type": "Ready", "status": "True"}]}, "spec": {"replicas": 2}},
    {"metadata": {"name": "b"}, "status": {"phase": "Pending", "conditions": [{"type": "Ready", "status": "False"}]},
     "spec": {"replicas": 10}},
]}


def run(template: str) -> str:
    return jsonpath.execute(jsonpath.parse(template), DATA)


@pytest.mark.parametrize(("template", "expected"), [
    ("{.items[*].metadata.name}", "a b"),
    ("{.items[0].metadata.name}", "a"),
    ("{.items[-1].metadata.name}", "b"),
    ("{.items[0:1].metadata.name}", "a"),
    ("{range .items[*]}{.metadata.name}{\"\\t\"}{.status.phase}{\"\\n\"}{end}", "a\tRunning\nb\tPending\n"),
    ("{.items[?(@.status.phase==\"Pending\")].metadata.name}", "b"),
    ("{.items[?(@.spec.replicas>5)].metadata.name}", "b"),
    ("{.items[*].status.conditions[?(@.type=='Ready')].status}", "True False"),
    ("{..phase}", "Running Pending"),
    ("{.items[0].metadata.labels}", '{"app":"web"}'),
    ("{.items[0].metadata['labels']['app']}", "web"),
    ("{.items[0].missing}", ""),
    ("names: {.items[*].metadata.name}!", "names: a b!"),
    ("{.items[*]['metadata.name', 'kind']}", ""),
    ("{.kind}{.items[1].spec.replicas}", "List10"),
])
def test_templates(template: str, expected: str) -> None:
    assert run(template) == expected


def test_relaxed_expressions() -> None:
    assert jsonpath.relaxed("metadata.name") == "{.metadata.name}"
    assert jsonpath.relaxed(".metadata.name") == "{.metadata.name}"
    assert jsonpath.relaxed("{.metadata.name}") == "{.metadata.name}"
    with pytest.raises(jsonpath.JSONPathError):
        jsonpath.relaxed("{a}{b}")
