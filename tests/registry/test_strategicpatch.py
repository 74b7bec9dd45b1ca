"""Strategic merge patch driven by the OpenAPI patch metadata (fakeapi.registry.strategicpatch)."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from fakeapi.errors import StatusError
from fakeapi.registry.strategicpatch import smp_for_kind, strategic_merge_patch


def _deployment() -> dict[str, Any]:
    return {
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": "web", "labels": {"app": "web", "tier": "front"}, "finalizers": ["a", "b", "c"]},
        "spec": {
            "replicas": 2,
            "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": 1, "maxUnavailable": 0}},
            "template": {"spec": {"containers": [
                {"name": "nginx", "image": "nginx:1",
                 "env": [{"name": "A", "value": "1"}, {"name": "B", "value": "2"}],
                 "ports": [{"containerPort": 80, "protocol": "TCP"}, {"containerPort": 443, "protocol": "TCP"}]},
                {"name": "sidecar", "image": "busybox", "args": ["sleep", "1"]},
            ]}},
        },
    }


def _apply(patch: dict[str, Any], original: dict[str, Any] | None = None) -> dict[str, Any]:
    return smp_for_kind(original or _deployment(), patch, "apps", "v1", "Deployment")


def _containers(obj: dict[str, Any]) -> list[dict[str, Any]]:
    return obj["spec"]["template"]["spec"]["containers"]


def _pod_spec_patch(spec: dict[str, Any]) -> dict[str, Any]:
    return {"spec": {"template": {"spec": spec}}}


def test_container_image_change_keeps_other_containers_and_fields() -> None:
    out = _apply(_pod_spec_patch({"containers": [{"name": "nginx", "image": "nginx:2"}]}))
    nginx, sidecar = _containers(out)
    assert nginx["image"] == "nginx:2"
    assert nginx["env"] == _deployment()["spec"]["template"]["spec"]["containers"][0]["env"]
    assert sidecar == {"name": "sidecar", "image": "busybox", "args": ["sleep", "1"]}


def test_inputs_are_not_modified() -> None:
    original = _deployment()
    patch = _pod_spec_patch({"$setElementOrder/containers": [{"name": "nginx"}, {"name": "sidecar"}],
                             "containers": [{"name": "nginx", "image": "nginx:2"}]})
    before = (copy.deepcopy(original), copy.deepcopy(patch))
    _apply(patch, original)
    assert (original, patch) == before


def test_kubectl_set_image_patch() -> None:
    original = _deployment()
    del _containers(original)[1]
    patch = {"spec": {"template": {"spec": {"$setElementOrder/containers": [{"name": "nginx"}],
                                            "containers": [{"image": "nginx:3", "name": "nginx"}]}}}}
    out = _apply(patch, original)
    assert [c["name"] for c in _containers(out)] == ["nginx"]
    assert _containers(out)[0]["image"] == "nginx:3"
    assert _containers(out)[0]["ports"][0]["containerPort"] == 80


def test_set_element_order_reorders_and_keeps_server_only_elements() -> None:
    patch = _pod_spec_patch({"$setElementOrder/containers": [{"name": "sidecar"}, {"name": "nginx"}],
                             "containers": [{"name": "sidecar", "image": "busybox:2"}]})
    out = _apply(patch)
    assert [c["name"] for c in _containers(out)] == ["sidecar", "nginx"]
    assert _containers(out)[0]["image"] == "busybox:2"


def test_env_merges_by_name() -> None:
    out = _apply(_pod_spec_patch({"containers": [{"name": "nginx", "env": [{"name": "B", "value": "3"}]}]}))
    assert _containers(out)[0]["env"] == [{"name": "A", "value": "1"}, {"name": "B", "value": "3"}]


def test_ports_merge_by_container_port() -> None:
    patch = _pod_spec_patch({"containers": [{"name": "nginx", "ports": [{"containerPort": 443, "name": "https"}]}]})
    out = _apply(patch)
    assert _containers(out)[0]["ports"] == [{"containerPort": 80, "protocol": "TCP"},
                                            {"containerPort": 443, "protocol": "TCP", "name": "https"}]


def test_new_element_without_order_list_goes_first() -> None:
    out = _apply(_pod_spec_patch({"containers": [{"name": "extra", "image": "x"}]}))
    assert [c["name"] for c in _containers(out)] == ["extra", "nginx", "sidecar"]


def test_patch_delete_list_element() -> None:
    out = _apply(_pod_spec_patch({"containers": [{"name": "sidecar", "$patch": "delete"}]}))
    assert [c["name"] for c in _containers(out)] == ["nginx"]


def test_patch_replace_list() -> None:
    out = _apply(_pod_spec_patch({"containers": [{"name": "only", "image": "x"}, {"$patch": "replace"}]}))
    assert _containers(out) == [{"name": "only", "image": "x"}]


def test_list_without_merge_strategy_is_replaced() -> None:
    out = _apply(_pod_spec_patch({"containers": [{"name": "sidecar", "args": ["sleep", "99"]}]}))
    assert _containers(out)[1]["args"] == ["sleep", "99"]


def test_delete_from_primitive_list() -> None:
    out = _apply({"metadata": {"$deleteFromPrimitiveList/finalizers": ["b"]}})
    assert out["metadata"]["finalizers"] == ["a", "c"]


def test_primitive_merge_list_is_a_union() -> None:
    out = _apply({"metadata": {"finalizers": ["c", "d"]}})
    assert out["metadata"]["finalizers"] == ["a", "b", "c", "d"]


def test_retain_keys_clears_unlisted_fields() -> None:
    out = _apply({"spec": {"strategy": {"$retainKeys": ["type"], "type": "Recreate"}}})
    assert out["spec"]["strategy"] == {"type": "Recreate"}


def test_retain_keys_must_cover_patched_fields() -> None:
    with pytest.raises(StatusError) as err:
        _apply({"spec": {"strategy": {"$retainKeys": ["type"], "rollingUpdate": {"maxSurge": 2}}}})
    assert (err.value.code, err.value.reason, err.value.message) == \
        (400, "BadRequest", "invalid patch format of retainKeys")


def test_patch_replace_on_map() -> None:
    out = _apply({"metadata": {"labels": {"$patch": "replace", "only": "me"}}})
    assert out["metadata"]["labels"] == {"only": "me"}


def test_patch_delete_on_map() -> None:
    out = _apply({"spec": {"strategy": {"$patch": "delete"}}})
    assert out["spec"]["strategy"] == {}


def test_null_deletes() -> None:
    out = _apply({"metadata": {"labels": {"tier": None}}, "spec": {"strategy": None}})
    assert out["metadata"]["labels"] == {"app": "web"}
    assert "strategy" not in out["spec"]


def test_maps_merge_recursively() -> None:
    out = _apply({"metadata": {"labels": {"new": "x"}}, "spec": {"replicas": 5}})
    assert out["metadata"]["labels"] == {"app": "web", "tier": "front", "new": "x"}
    assert out["spec"]["replicas"] == 5
    assert out["spec"]["strategy"]["rollingUpdate"]["maxSurge"] == 1


def test_directives_never_reach_new_values() -> None:
    original = _deployment()
    del original["spec"]["template"]["spec"]["containers"][0]["env"]
    out = _apply(_pod_spec_patch({"containers": [{"name": "nginx", "env": [{"name": "X", "value": "1"},
                                                                           {"name": "Y", "$patch": "delete"}]}]}),
                 original)
    assert _containers(out)[0]["env"] == [{"name": "X", "value": "1"}]
    annotations = _apply({"metadata": {"annotations": {"$patch": "replace", "a": "b"}}})["metadata"]["annotations"]
    assert annotations == {"a": "b"}


def test_unknown_directive_is_an_error() -> None:
    with pytest.raises(StatusError) as err:
        _apply({"metadata": {"$patch": "bogus"}})
    assert err.value.code == 500
    assert err.value.message == "unknown patch type: bogus in map: map[$patch:bogus]"


def test_merge_directive_in_list_is_an_error() -> None:
    with pytest.raises(StatusError) as err:
        _apply(_pod_spec_patch({"containers": [{"name": "nginx", "$patch": "merge"}]}))
    assert err.value.message == "merging lists cannot yet be specified in the patch"


def test_missing_merge_key_is_an_error() -> None:
    with pytest.raises(StatusError) as err:
        _apply(_pod_spec_patch({"containers": [{"image": "x"}]}))
    assert err.value.message == "map: map[image:x] does not contain declared merge key: name"


def test_malformed_directive_keys_are_bad_requests() -> None:
    cases = (({"metadata": {"$setElementOrder": []}}, "invalid patch format of setElementOrder list"),
             ({"metadata": {"$deleteFromPrimitiveList": ["a"]}}, "invalid patch format of primitive list"),
             ({"metadata": {"$retainKeys": "name"}}, "invalid patch format of retainKeys"))
    for patch, message in cases:
        with pytest.raises(StatusError) as err:
            _apply(patch)
        assert (err.value.code, err.value.message) == (400, message)


def test_list_of_lists_is_unprocessable() -> None:
    original = _deployment()
    original["metadata"]["finalizers"] = [["x"]]
    with pytest.raises(StatusError) as err:
        _apply({"metadata": {"finalizers": [["y"]]}}, original)
    assert (err.value.code, err.value.message) == (422, "lists of lists are not supported")


def test_kind_without_schema_falls_back_to_json_merge_patch() -> None:
    original = {"spec": {"items": [{"name": "a"}, {"name": "b"}], "keep": 1}}
    out = smp_for_kind(original, {"spec": {"items": [{"name": "c"}], "keep": None}}, "example.com", "v1", "Widget")
    assert out == {"spec": {"items": [{"name": "c"}]}}


def test_no_schema_means_maps_merge_and_lists_replace() -> None:
    out = strategic_merge_patch({"a": {"b": 1}, "l": [1, 2]}, {"a": {"c": 2}, "l": [3]}, None)
    assert out == {"a": {"b": 1, "c": 2}, "l": [3]}


def test_scale_subresource_patch() -> None:
    scale = {"apiVersion": "autoscaling/v1", "kind": "Scale", "metadata": {"name": "web"}, "spec": {"replicas": 1}}
    out = smp_for_kind(scale, {"spec": {"replicas": 4}}, "autoscaling", "v1", "Scale")
    assert out["spec"] == {"replicas": 4}
