from __future__ import annotations

from fkubectl.printers.table import TableOptions, fallback_table, table_lines
from fkubectl.printers.tabwriter import format_lines

TABLE = {
    "kind": "Table", "apiVersion": "meta.k8s.io/v1",
    "columnDefinitions": [{"name": "Name", "priority": 0}, {"name": "Ready", "priority": 0},
                          {"name": "Restarts", "priority": 0}, {"name": "IP", "priority": 1},
                          {"name": "Nominated Node", "priority": 1}],
    "rows": [{"cells": ["web", "1/1", 0, "10.0.0.1", "<none>"],
              "object": {"metadata": {"name": "web", "namespace": "team", "labels": {"app": "web", "x/tier": "fe"}}}}],
}


def render(**options: object) -> str:
    return format_lines(table_lines(TABLE, TableOptions(**options)))  # type: ignore[arg-type]


def test_default_hides_wide_columns_and_uppercases_headers() -> None:
    assert render() == "NAME   READY   RESTARTS\nweb    1/1     0\n"


def test_wide_namespace_labels_and_label_columns() -> None:
    assert render(wide=True).splitlines()[0] == "NAME   READY   RESTARTS   IP         NOMINATED NODE"
    assert render(with_namespace=True) == "NAMESPACE   NAME   READY   RESTARTS\nteam        web    1/1     0\n"
    assert render(show_labels=True).splitlines()[1].endswith("app=web,x/tier=fe")
    assert render(label_columns=["x/tier", "missing"]) == (
        "NAME   READY   RESTARTS   TIER   MISSING\nweb    1/1     0          fe     \n")


def test_kind_prefix_and_no_headers() -> None:
    assert render(kind_prefix="deployment.apps", no_headers=True) == "deployment.apps/web   1/1   0\n"


def test_fallback_for_servers_without_tables() -> None:
    table = fallback_table([{"metadata": {"name": "a", "creationTimestamp": "2024-01-01T00:00:00Z"}}],
                           now=1704067200 + 90)
    assert format_lines(table_lines(table, TableOptions())) == "NAME   AGE\na      90s\n"
