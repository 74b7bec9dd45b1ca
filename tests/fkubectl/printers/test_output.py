from __future__ import annotations

import io

import pytest

from fkubectl.printers import OutputError, parse_output, print_objects
from fkubectl.printers.custom_columns import render
from fkubectl.printers.duration import age, human_duration, parse_rfc3339
from fkubectl.printers.gofmt import format_labels, go_json, go_str
from fkubectl.printers import gosort
from fkubectl.printers.sort import natural_less, sort_objects
from fkubectl.printers.yamlout import dump

POD = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "web", "creationTimestamp": "2024-01-01T00:00:00Z",
                                                       "annotations": {"note": "a\nb\n", "yes": "y", "n": "true"}},
       "spec": {"containers": [{"name": "c", "image": "nginx", "args": ["sleep", "3600"]}]}}


def test_yaml_like_go() -> None:
    text = dump(POD)
    assert 'creationTimestamp: "2024-01-01T00:00:00Z"' in text
    assert "note: |\n      a\n      b\n" in text
    assert '"yes": "y"' in text and '"n": "true"' in text
    assert '- "3600"' in text and "  containers:\n  - args:\n" in text


def test_json_like_go() -> None:
    assert go_json({"b": "<none>", "a": 1}) == '{\n    "a": 1,\n    "b": "\\u003cnone\\u003e"\n}'
    assert go_json({"b": 1, "a": 2}, sort_keys=False) == '{\n    "b": 1,\n    "a": 2\n}'


@pytest.mark.parametrize(("value", "text"), [(None, "<nil>"), (True, "true"), (3, "3"), (3.0, "3"), (0.5, "0.5"),
                                             (["a", 1], "[a 1]"), ({"b": 1, "a": 2}, "map[a:2 b:1]")])
def test_go_str(value: object, text: str) -> None:
    assert go_str(value) == text


def test_labels() -> None:
    assert format_labels({}) == "<none>"
    assert format_labels({"b": "2", "a": "1"}) == "a=1,b=2"


@pytest.mark.parametrize(("seconds", "text"), [(0, "0s"), (119, "119s"), (125, "2m5s"), (600, "10m"),
                                               (3 * 3600, "3h"), (3 * 3600 + 300, "3h5m"), (47 * 3600, "47h"),
                                               (50 * 3600, "2d2h"), (10 * 86400, "10d"), (800 * 86400, "2y70d"),
                                               (-0.5, "0s"), (-5, "<invalid>")])
def test_human_duration(seconds: float, text: str) -> None:
    assert human_duration(seconds) == text


def test_timestamps() -> None:
    assert parse_rfc3339("1970-01-02T00:00:00Z") == 86400
    assert parse_rfc3339("1970-01-01T01:00:00+01:00") == 0
    assert age(None) == "<unknown>"


def test_output_parsing() -> None:
    assert parse_output("jsonpath={.a}").arg == "{.a}"
    assert parse_output("wide").human and parse_output("").human
    with pytest.raises(OutputError, match='unable to match a printer suitable for the output format "foo"'):
        parse_output("foo")


def test_list_and_name_printers() -> None:
    out = io.StringIO()
    print_objects(parse_output("name"), [POD, {"apiVersion": "apps/v1", "kind": "Deployment",
                                               "metadata": {"name": "d"}}], out, single=False)
    assert out.getvalue() == "pod/web\ndeployment.apps/d\n"
    out = io.StringIO()
    print_objects(parse_output("jsonpath={.kind}"), [POD], out, single=False)
    assert out.getvalue() == "List"


def test_custom_columns() -> None:
    text = render("NAME:.metadata.name,IMAGES:.spec.containers[*].image,NODE:.spec.nodeName", [POD, POD])
    assert text == "NAME   IMAGES   NODE\nweb    nginx    <none>\nweb    nginx    <none>\n"


def test_sort_is_natural_numeric_and_quantity_aware() -> None:
    objs = [{"n": "pod-10", "q": "1Gi"}, {"n": "pod-2", "q": "500Mi"}, {"q": "2"}]
    assert [o.get("n") for o in sort_objects(objs, ".n")] == [None, "pod-2", "pod-10"]
    assert [o["q"] for o in sort_objects(objs, "{.q}")] == ["2", "500Mi", "1Gi"]
    assert natural_less("a2", "a10") and not natural_less("a10", "a2") and natural_less("a01", "a001")


def test_go_sort_sorts_like_any_sort_and_keeps_gos_order_of_ties() -> None:
    import random

    values = [random.Random(seed).randrange(50) for seed in range(300)]
    items = list(values)
    gosort.sort(items, lambda a, b: a < b)
    assert items == sorted(values)
    pairs = [(i % 3, i) for i in range(40)]
    gosort.sort(pairs, lambda a, b: a[0] < b[0])
    assert [p[0] for p in pairs] == sorted(p[0] for p in pairs)
    assert [p[1] for p in pairs] != sorted(p[1] for p in pairs)  # not stable, like Go
