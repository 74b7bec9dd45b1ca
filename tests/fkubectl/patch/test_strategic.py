"""Three-way strategic merge patches as kubectl computes them for `apply`."""

from __future__ import annotations

import copy

from fkubectl.patch import jsonmerge, strategic
from fkubectl.patch.schema import PatchMeta

SCHEMAS = {
    "Deployment": {"properties": {"metadata": {"$ref": "#/components/schemas/ObjectMeta"},
                                  "spec": {"allOf": [{"$ref": "#/components/schemas/DeploymentSpec"}]}}},
    "ObjectMeta": {"properties": {"finalizers": {"type": "array", "items": {"type": "string"},
                                                 "x-kubernetes-patch-strategy": "merge"}}},
    "DeploymentSpec": {"properties": {"template": {"$ref": "#/components/schemas/PodTemplateSpec"},
                                      "strategy": {"$ref": "#/components/schemas/Strategy",
                                                   "x-kubernetes-patch-strategy": "retainKeys"}}},
    "Strategy": {"properties": {"type": {"type": "string"}}},
    "PodTemplateSpec": {"properties": {"spec": {"$ref": "#/components/schemas/PodSpec"}}},
    "PodSpec": {"properties": {"containers": {"type": "array", "items": {"$ref": "#/components/schemas/Container"},
                                              "x-kubernetes-patch-merge-key": "name",
                                              "x-kubernetes-patch-strategy": "merge"}}},
    "Container": {"properties": {"env": {"type": "array", "items": {"type": "object"},
                                         "x-kubernetes-patch-merge-key": "name",
                                         "x-kubernetes-patch-strategy": "merge"},
                                 "args": {"type": "array", "items": {"type": "string"}}}},
}
META = PatchMeta(SCHEMAS["Deployment"], SCHEMAS)


def deployment(*containers: dict[str, object]) -> dict[str, object]:
    return {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"},
            "spec": {"template": {"spec": {"containers": list(containers)}}}}


WEB = {"name": "web", "image": "nginx:1.25", "env": [{"name": "A", "value": "1"}, {"name": "B", "value": "2"}]}
SIDE = {"name": "side", "image": "busybox"}


def test_removed_list_elements_and_changed_fields_like_kubectl() -> None:
    original = deployment(WEB, SIDE)
    modified = deployment({**WEB, "image": "nginx:1.26", "env": [{"name": "A", "value": "1"}]})
    current = copy.deepcopy(original)
    current["spec"]["template"]["spec"]["containers"][0]["imagePullPolicy"] = "IfNotPresent"  # type: ignore[index]
    patch = strategic.three_way(original, modified, current, META)
    assert patch == {"spec": {"template": {"spec": {
        "$setElementOrder/containers": [{"name": "web"}],
        "containers": [{"$setElementOrder/env": [{"name": "A"}], "env": [{"$patch": "delete", "name": "B"}],
                        "image": "nginx:1.26", "name": "web"},
                       {"$patch": "delete", "name": "side"}]}}}}


def test_server_defaults_are_left_alone_and_no_change_is_empty() -> None:
    original = deployment(WEB)
    current = copy.deepcopy(original)
    current["spec"]["template"]["spec"]["containers"][0]["terminationMessagePath"] = "/dev/x"  # type: ignore[index]
    current["status"] = {"replicas": 1}
    assert strategic.three_way(original, copy.deepcopy(original), current, META) == {}


def test_fields_dropped_from_the_config_are_deleted() -> None:
    original = {"metadata": {"name": "x", "labels": {"a": "1", "b": "2"}}}
    modified = {"metadata": {"name": "x", "labels": {"a": "1"}}}
    current = {"metadata": {"name": "x", "labels": {"a": "1", "b": "2", "c": "3"}}}
    assert strategic.three_way(original, modified, current, META) == {"metadata": {"labels": {"b": None}}}


def test_scalar_lists_and_retain_keys() -> None:
    original = {"metadata": {"finalizers": ["a", "b"]}, "spec": {"strategy": {"type": "Recreate"}}}
    modified = {"metadata": {"finalizers": ["a", "c"]}, "spec": {"strategy": {"type": "RollingUpdate"}}}
    patch = strategic.three_way(original, modified, copy.deepcopy(original), META)
    assert patch["metadata"] == {"$deleteFromPrimitiveList/finalizers": ["b"], "$setElementOrder/finalizers": ["a", "c"],
                                 "finalizers": ["c"]}
    assert patch["spec"] == {"strategy": {"$retainKeys": ["type"], "type": "RollingUpdate"}}


def test_lists_without_metadata_are_replaced() -> None:
    original = deployment({"name": "web", "args": ["a", "b"]})
    modified = deployment({"name": "web", "args": ["a"]})
    patch = strategic.three_way(original, modified, copy.deepcopy(original), META)
    assert patch["spec"]["template"]["spec"]["containers"] == [{"args": ["a"], "name": "web"}]


def test_json_merge_three_way() -> None:
    original = {"spec": {"a": 1, "b": 2}, "list": [1, 2]}
    modified = {"spec": {"a": 5}, "list": [1]}
    current = {"spec": {"a": 1, "b": 2, "c": 3}, "list": [1, 2]}
    assert jsonmerge.three_way(original, modified, current) == {"spec": {"a": 5, "b": None}, "list": [1]}
    assert jsonmerge.create({"a": {"x": 1}}, {"a": {"x": 1, "y": 2}}) == {"a": {"y": 2}}
    assert jsonmerge.apply({"a": {"x": 1}, "b": 1}, {"a": {"x": None}, "b": 2}) == {"a": {}, "b": 2}
