"""Query/body options (registry/options.py): apimachinery's bool conversion, ListOptions validation for
watch, DeleteOptions and dryRun, with the apiserver's wording."""

from __future__ import annotations

import pytest

from fakeapi.errors import StatusError
from fakeapi.registry.options import DeleteOptions, ListOptions, WriteOptions, parse_dry_run


def list_error(**q: str) -> StatusError:
    with pytest.raises(StatusError) as exc:
        ListOptions.parse(q)
    return exc.value


def delete_error(q: dict[str, str], body: object = None) -> StatusError:
    with pytest.raises(StatusError) as exc:
        DeleteOptions.parse(q, body)
    return exc.value


@pytest.mark.parametrize("value, expected", [
    ("1", True), ("true", True), ("", True), ("yes", True), ("True", True),
    ("0", False), ("false", False), ("False", False),
])
def test_bool_query_parameters_follow_apimachinery(value: str, expected: bool) -> None:
    """Present with any value but 0/false (even empty) means true."""
    opts = ListOptions.parse({"watch": value, "allowWatchBookmarks": value})
    assert (opts.watch, opts.allow_watch_bookmarks) == (expected, expected)


def test_absent_bool_parameters_are_false() -> None:
    opts = ListOptions.parse({})
    assert (opts.watch, opts.allow_watch_bookmarks, opts.send_initial_events) == (False, False, None)


def test_false_is_case_insensitive() -> None:
    assert ListOptions.parse({"watch": "FALSE"}).watch is False


def test_list_options_parse_values() -> None:
    opts = ListOptions.parse({"labelSelector": "a=b", "fieldSelector": "metadata.name=x", "limit": "5",
                              "continue": "tok", "resourceVersion": "7", "timeoutSeconds": "30"})
    assert (opts.label_selector, opts.field_selector, opts.limit, opts.continue_token) == ("a=b", "metadata.name=x",
                                                                                         5, "tok")
    assert (opts.resource_version, opts.parsed_rv(), opts.timeout_seconds) == ("7", 7, 30)
    assert ListOptions.parse({"resourceVersion": "0"}).parsed_rv() is None
    assert ListOptions.parse({"resourceVersion": ""}).parsed_rv() is None


def test_a_non_integer_limit_is_a_bad_request() -> None:
    err = list_error(limit="ten")
    assert (err.code, err.reason) == (400, "BadRequest")
    assert err.message == 'strconv.ParseInt: parsing "ten": invalid syntax'


INVALID = 'ListOptions.meta.k8s.io "" is invalid: '


@pytest.mark.parametrize("query, message", [
    ({"watch": "1", "resourceVersionMatch": "NotOlderThan"},
     "resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided"),
    ({"watch": "1", "sendInitialEvents": "true"},
     "resourceVersionMatch: Forbidden: sendInitialEvents requires setting resourceVersionMatch to NotOlderThan"),
    ({"watch": "1", "sendInitialEvents": "false"},
     "resourceVersionMatch: Forbidden: sendInitialEvents requires setting resourceVersionMatch to NotOlderThan"),
])
def test_watch_option_validation(query: dict[str, str], message: str) -> None:
    err = list_error(**query)
    assert (err.code, err.reason, err.message) == (422, "Invalid", INVALID + message)
    assert err.details is not None and (err.details["group"], err.details["kind"]) == ("meta.k8s.io", "ListOptions")


def test_watch_list_options_are_accepted() -> None:
    opts = ListOptions.parse({"watch": "true", "sendInitialEvents": "true", "resourceVersionMatch": "NotOlderThan",
                              "allowWatchBookmarks": "true"})
    assert opts.send_initial_events is True and opts.watch and opts.allow_watch_bookmarks
    # validation does not require allowWatchBookmarks with sendInitialEvents
    assert ListOptions.parse({"watch": "true", "sendInitialEvents": "true",
                              "resourceVersionMatch": "NotOlderThan"}).send_initial_events is True


def test_watch_with_an_unsupported_resource_version_match_reports_both_errors() -> None:
    err = list_error(watch="1", sendInitialEvents="true", resourceVersionMatch="Exact")
    assert err.message == INVALID + (
        "[resourceVersionMatch: Forbidden: sendInitialEvents requires setting resourceVersionMatch to NotOlderThan, "
        'resourceVersionMatch: Unsupported value: "Exact": supported values: "NotOlderThan"]')


# ---- DeleteOptions ---------------------------------------------------------------------------------

def test_delete_options_from_body_and_query() -> None:
    opts = DeleteOptions.parse({}, {"kind": "DeleteOptions", "apiVersion": "v1", "gracePeriodSeconds": 0,
                                    "propagationPolicy": "Foreground",
                                    "preconditions": {"uid": "u", "resourceVersion": "5"}})
    assert (opts.grace_period_seconds, opts.propagation_policy) == (0, "Foreground")
    assert (opts.precondition_uid, opts.precondition_rv, opts.dry_run) == ("u", "5", False)
    opts = DeleteOptions.parse({"gracePeriodSeconds": "10", "propagationPolicy": "Orphan", "dryRun": "All"}, None)
    assert (opts.grace_period_seconds, opts.propagation_policy, opts.dry_run) == (10, "Orphan", True)


def test_orphan_dependents_maps_to_a_propagation_policy() -> None:
    assert DeleteOptions.parse({}, {"orphanDependents": True}).propagation_policy == "Orphan"
    assert DeleteOptions.parse({}, {"orphanDependents": False}).propagation_policy == "Background"
    err = delete_error({}, {"orphanDependents": True, "propagationPolicy": "Background"})
    assert (err.code, err.reason) == (422, "Invalid")
    assert err.message == ('DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: Invalid value: "Background": '
                           "orphanDependents and deletionPropagation cannot be both set")


def test_an_unknown_propagation_policy_is_invalid() -> None:
    err = delete_error({}, {"propagationPolicy": "Sideways"})
    assert (err.code, err.reason) == (422, "Invalid")
    assert err.message.startswith('DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: Unsupported value: '
                                  '"Sideways": supported values: ')
    assert err.details is not None and (err.details["group"], err.details["kind"]) == ("meta.k8s.io", "DeleteOptions")


def test_an_unknown_propagation_policy_lists_the_apiserver_values() -> None:
    err = delete_error({}, {"propagationPolicy": "Sideways"})
    assert err.message == ('DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: Unsupported value: "Sideways": '
                           'supported values: "Foreground", "Background", "Orphan", "nil"')


def test_a_delete_options_body_must_be_an_object() -> None:
    err = delete_error({}, ["x"])
    assert (err.code, err.reason) == (400, "BadRequest")


def test_dry_run_values() -> None:
    assert parse_dry_run({"dryRun": "All"}) is True
    assert parse_dry_run({}) is False
    assert parse_dry_run({}, ["All"]) is True
    with pytest.raises(StatusError) as exc:
        parse_dry_run({"dryRun": "Some"})
    assert (exc.value.code, exc.value.reason) == (422, "Invalid")
    assert 'supported values: "All"' in exc.value.message


def test_dry_run_error_uses_the_apiserver_wording() -> None:
    err = delete_error({"dryRun": "Some"})
    assert err.message == ('DeleteOptions.meta.k8s.io "" is invalid: dryRun: Unsupported value: []string{"Some"}: '
                           'supported values: "All"')


def test_write_options() -> None:
    opts = WriteOptions.parse({"dryRun": "All", "fieldManager": "kubectl-edit"}, "kubectl/v1.37.0 (linux/amd64)")
    assert (opts.dry_run, opts.field_manager, opts.force) == (True, "kubectl-edit", False)
    # without fieldManager the manager is the User-Agent up to the first '/'
    assert WriteOptions.parse({}, "kubectl/v1.37.0 (linux/amd64)").field_manager == "kubectl"
    assert WriteOptions.parse({"force": "true"}).force is True
