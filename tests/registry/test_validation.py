"""fakeapi.registry.validation reproduces apimachinery's validation messages byte for byte."""

from __future__ import annotations

from typing import Any

import pytest

from fakeapi.registry.validation import (
    is_dns1035_label,
    is_dns1123_label,
    is_dns1123_subdomain,
    is_env_var_name,
    is_qualified_name,
    is_valid_label_value,
    is_valid_port_name,
    is_valid_port_num,
    name_errors,
    validate_annotations,
    validate_label_selector,
    validate_labels,
    validate_nonnegative,
    validate_object_meta,
    validate_object_meta_update,
)

SUBDOMAIN_MSG = (
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must "
    "start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is "
    "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
)
LABEL_MSG = (
    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and "
    "end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is "
    "'[a-z0-9]([-a-z0-9]*[a-z0-9])?')"
)
DNS1035_MSG = (
    "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic "
    "character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for "
    "validation is '[a-z]([-a-z0-9]*[a-z0-9])?')"
)
QNAME_MSG = (
    "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric "
    "character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is "
    "'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"
)
LABEL_VALUE_MSG = (
    "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must "
    "start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used "
    "for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"
)


def strs(errs: list[Any]) -> list[str]:
    return [str(e) for e in errs]


class TestDNS:
    @pytest.mark.parametrize("value", ["a", "abc", "a-b", "0", "a.b", "example.com", "a" * 63 + "." + "b" * 63])
    def test_valid_subdomains(self, value: str) -> None:
        assert is_dns1123_subdomain(value) == []

    @pytest.mark.parametrize("value", ["Foo", "-a", "a-", "a..b", ".a", "a_b", "", "ä"])
    def test_invalid_subdomains(self, value: str) -> None:
        assert is_dns1123_subdomain(value) == [SUBDOMAIN_MSG]

    def test_subdomain_length_in_bytes(self) -> None:
        assert is_dns1123_subdomain("a" * 253) == []
        assert is_dns1123_subdomain("a" * 254) == ["must be no more than 253 characters"]
        assert is_dns1123_subdomain("A" * 254) == ["must be no more than 253 characters", SUBDOMAIN_MSG]

    def test_label_63_and_64(self) -> None:
        assert is_dns1123_label("a" * 63) == []
        assert is_dns1123_label("a" * 64) == ["must be no more than 63 characters"]

    @pytest.mark.parametrize("value", ["Foo", "-abc", "abc-", "a_b", ""])
    def test_invalid_labels(self, value: str) -> None:
        assert is_dns1123_label(value) == [LABEL_MSG]

    def test_label_with_dots_is_called_out(self) -> None:
        assert is_dns1123_label("a.b") == ["must not contain dots"]

    def test_label_allows_leading_digit_but_dns1035_does_not(self) -> None:
        assert is_dns1123_label("1abc") == []
        assert is_dns1035_label("1abc") == [DNS1035_MSG]
        assert is_dns1035_label("abc-1") == []
        assert is_dns1035_label("b" * 64) == ["must be no more than 63 characters"]


class TestQualifiedName:
    @pytest.mark.parametrize(
        "value", ["a", "A", "MyName", "my.name", "123-abc", "a_b", "example.com/MyName", "k8s.io/a-b_c.d"]
    )
    def test_valid(self, value: str) -> None:
        assert is_qualified_name(value) == []

    def test_bad_name_part(self) -> None:
        assert is_qualified_name("-abc") == ["name part " + QNAME_MSG]
        assert is_qualified_name("example.com/-abc") == ["name part " + QNAME_MSG]

    def test_name_part_length(self) -> None:
        assert is_qualified_name("a" * 63) == []
        assert is_qualified_name("a" * 64) == ["name part must be no more than 63 characters"]

    def test_empty_name_part(self) -> None:
        assert is_qualified_name("") == ["name part must be non-empty", "name part " + QNAME_MSG]
        assert is_qualified_name("example.com/") == ["name part must be non-empty", "name part " + QNAME_MSG]

    def test_empty_prefix(self) -> None:
        assert is_qualified_name("/abc") == ["prefix part must be non-empty"]

    def test_bad_prefix(self) -> None:
        assert is_qualified_name("Example.com/abc") == ["prefix part " + SUBDOMAIN_MSG]

    def test_too_long_prefix(self) -> None:
        assert is_qualified_name("a" * 254 + "/abc") == ["prefix part must be no more than 253 characters"]

    def test_two_slashes(self) -> None:
        assert is_qualified_name("a/b/c") == [
            "a qualified name " + QNAME_MSG + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"
        ]


class TestLabelValue:
    @pytest.mark.parametrize("value", ["", "a", "MyValue", "my_value", "12345", "a.b-c", "x" * 63])
    def test_valid(self, value: str) -> None:
        assert is_valid_label_value(value) == []

    def test_too_long(self) -> None:
        assert is_valid_label_value("x" * 64) == ["must be no more than 63 characters"]

    @pytest.mark.parametrize("value", ["-a", "a-", "a b", "a/b", "_a"])
    def test_invalid(self, value: str) -> None:
        assert is_valid_label_value(value) == [LABEL_VALUE_MSG]


class TestPortsAndEnv:
    def test_port_numbers(self) -> None:
        assert is_valid_port_num(1) == []
        assert is_valid_port_num(65535) == []
        assert is_valid_port_num(0) == ["must be between 1 and 65535, inclusive"]
        assert is_valid_port_num(65536) == ["must be between 1 and 65535, inclusive"]

    def test_port_names(self) -> None:
        assert is_valid_port_name("http") == []
        assert is_valid_port_name("h-2") == []
        assert is_valid_port_name("a" * 16) == ["must be no more than 15 characters"]
        assert is_valid_port_name("HTTP") == [
            "must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)",
            "must contain at least one letter (a-z)",
        ]
        assert is_valid_port_name("123") == ["must contain at least one letter (a-z)"]
        assert is_valid_port_name("a--b") == ["must not contain consecutive hyphens"]
        assert is_valid_port_name("-ab") == ["must not begin or end with a hyphen"]

    def test_env_var_names(self) -> None:
        assert is_env_var_name("MY_ENV.NAME") == []
        assert is_env_var_name("1ABC") == [
            "a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', "
            "and must not start with a digit (e.g. 'my.env-name',  or 'MY_ENV.NAME',  or 'MyEnvName1', regex used "
            "for validation is '[-._a-zA-Z][-._a-zA-Z0-9]*')"
        ]
        assert is_env_var_name(".") == ["must not be '.'"]
        assert is_env_var_name("..") == ["must not be '..'"]
        assert is_env_var_name("..a") == ["must not start with '..'"]


class TestNameRules:
    def test_rules(self) -> None:
        assert name_errors("a.b", "subdomain") == []
        assert name_errors("a.b", "label") == ["must not contain dots"]
        assert name_errors("1a", "dns1035") == [DNS1035_MSG]
        assert name_errors("Any:Thing", "path") == []

    def test_path_rule(self) -> None:
        assert name_errors(".", "path") == ["may not be '.'"]
        assert name_errors("..", "path") == ["may not be '..'"]
        assert name_errors("a/b%c", "path") == ["may not contain '/'", "may not contain '%'"]
        assert name_errors("..", "path", prefix=True) == []

    def test_generate_name_prefix_masks_trailing_dash(self) -> None:
        assert name_errors("web-", "subdomain", prefix=True) == []
        assert name_errors("web-", "subdomain") == [SUBDOMAIN_MSG]
        assert name_errors("Web-", "label", prefix=True) == [LABEL_MSG]

    def test_unknown_rule(self) -> None:
        with pytest.raises(ValueError):
            name_errors("a", "bogus")


class TestLabelsAndAnnotations:
    def test_labels(self) -> None:
        assert validate_labels({"app": "web", "example.com/tier": ""}, "metadata.labels") == []
        assert validate_labels(None, "metadata.labels") == []
        assert strs(validate_labels({"-bad": "ok", "good": "-bad"}, "metadata.labels")) == [
            f'metadata.labels: Invalid value: "-bad": name part {QNAME_MSG}',
            f'metadata.labels: Invalid value: "-bad": {LABEL_VALUE_MSG}',
        ]

    def test_label_value_64(self) -> None:
        assert strs(validate_labels({"a": "x" * 64}, "spec.selector")) == [
            f'spec.selector: Invalid value: "{"x" * 64}": must be no more than 63 characters'
        ]

    def test_labels_wrong_json_type(self) -> None:
        assert strs(validate_labels("app=web", "metadata.labels")) == [
            'metadata.labels: Invalid value: "app=web": must be of type object'
        ]
        assert strs(validate_labels({"a": 1}, "metadata.labels")) == [
            "metadata.labels[a]: Invalid value: 1: must be of type string"
        ]

    def test_annotation_keys_case_insensitive(self) -> None:
        assert validate_annotations({"Example.COM/Key": "v"}, "metadata.annotations") == []
        assert strs(validate_annotations({"a/b/c": "v"}, "metadata.annotations")) == [
            'metadata.annotations: Invalid value: "a/b/c": a qualified name '
            + QNAME_MSG
            + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"
        ]

    def test_annotation_total_size(self) -> None:
        assert validate_annotations({"k": "v" * (262144 - 1)}, "metadata.annotations") == []
        errs = validate_annotations({"k": "v" * 262144}, "metadata.annotations")
        assert strs(errs) == ["metadata.annotations: Too long: must have at most 262144 bytes"]
        assert errs[0].cause()["reason"] == "FieldValueTooLong"


class TestObjectMeta:
    def test_valid(self) -> None:
        meta = {"name": "web", "namespace": "default", "labels": {"app": "web"}, "finalizers": ["example.com/x"]}
        assert validate_object_meta(meta, namespaced=True, name_rule="subdomain") == []

    def test_name_required(self) -> None:
        assert strs(validate_object_meta({}, namespaced=False, name_rule="subdomain")) == [
            "metadata.name: Required value: name or generateName is required"
        ]

    def test_generate_name_alone_is_accepted(self) -> None:
        assert validate_object_meta({"generateName": "web-"}, namespaced=False, name_rule="subdomain") == []

    def test_bad_generate_name(self) -> None:
        errs = validate_object_meta({"generateName": "Web-", "name": "Web-x1y2z"}, namespaced=False, name_rule="subdomain")
        assert strs(errs) == [
            f'metadata.generateName: Invalid value: "Web-": {SUBDOMAIN_MSG}',
            f'metadata.name: Invalid value: "Web-x1y2z": {SUBDOMAIN_MSG}',
        ]

    def test_name_format(self) -> None:
        errs = validate_object_meta({"name": "Foo"}, namespaced=False, name_rule="subdomain")
        assert strs(errs) == [f'metadata.name: Invalid value: "Foo": {SUBDOMAIN_MSG}']
        assert errs[0].cause() == {
            "reason": "FieldValueInvalid",
            "message": f'Invalid value: "Foo": {SUBDOMAIN_MSG}',
            "field": "metadata.name",
        }

    def test_namespace(self) -> None:
        assert strs(validate_object_meta({"name": "a"}, namespaced=True, name_rule="label")) == [
            "metadata.namespace: Required value"
        ]
        assert strs(validate_object_meta({"name": "a", "namespace": "a.b"}, namespaced=True, name_rule="label")) == [
            'metadata.namespace: Invalid value: "a.b": must not contain dots'
        ]
        assert strs(validate_object_meta({"name": "a", "namespace": "x"}, namespaced=False, name_rule="label")) == [
            "metadata.namespace: Forbidden: not allowed on this type"
        ]

    def test_generation(self) -> None:
        assert strs(validate_object_meta({"name": "a", "generation": -1}, namespaced=False, name_rule="path")) == [
            "metadata.generation: Invalid value: -1: must be greater than or equal to 0"
        ]

    def test_finalizers(self) -> None:
        errs = validate_object_meta(
            {"name": "a", "finalizers": ["kubernetes", "bad/", "orphan", "foregroundDeletion"]},
            namespaced=False,
            name_rule="subdomain",
        )
        assert strs(errs) == [
            'metadata.finalizers: Invalid value: "bad/": name part must be non-empty',
            f'metadata.finalizers: Invalid value: "bad/": name part {QNAME_MSG}',
            'metadata.finalizers: Invalid value: []string{"kubernetes", "bad/", "orphan", "foregroundDeletion"}: '
            "finalizer orphan and foregroundDeletion cannot be both set",
        ]

    def test_owner_references_required_fields(self) -> None:
        errs = validate_object_meta({"name": "a", "ownerReferences": [{}]}, namespaced=False, name_rule="subdomain")
        assert strs(errs) == [
            'metadata.ownerReferences.apiVersion: Invalid value: "": version must not be empty',
            'metadata.ownerReferences.kind: Invalid value: "": kind must not be empty',
            'metadata.ownerReferences.name: Invalid value: "": name must not be empty',
            'metadata.ownerReferences.uid: Invalid value: "": uid must not be empty',
        ]

    def test_owner_reference_api_version_forms(self) -> None:
        base = {"kind": "ReplicaSet", "name": "rs", "uid": "u1"}
        for api_version in ("v1", "apps/v1"):
            meta = {"name": "a", "ownerReferences": [{**base, "apiVersion": api_version}]}
            assert validate_object_meta(meta, namespaced=False, name_rule="subdomain") == []
        for api_version in ("apps/", "a/b/c"):
            meta = {"name": "a", "ownerReferences": [{**base, "apiVersion": api_version}]}
            assert strs(validate_object_meta(meta, namespaced=False, name_rule="subdomain")) == [
                f'metadata.ownerReferences.apiVersion: Invalid value: "{api_version}": version must not be empty'
            ]

    def test_event_cannot_own(self) -> None:
        ref = {"apiVersion": "v1", "kind": "Event", "name": "e", "uid": "u"}
        errs = validate_object_meta({"name": "a", "ownerReferences": [ref]}, namespaced=False, name_rule="subdomain")
        assert [e.detail for e in errs] == ["/v1, Kind=Event is disallowed from being an owner"]
        assert errs[0].field == "metadata.ownerReferences"

    def test_two_controllers(self) -> None:
        refs = [
            {"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "one", "uid": "1", "controller": True},
            {"apiVersion": "apps/v1", "kind": "StatefulSet", "name": "two", "uid": "2", "controller": True},
        ]
        errs = validate_object_meta({"name": "a", "ownerReferences": refs}, namespaced=False, name_rule="subdomain")
        assert len(errs) == 1
        assert errs[0].field == "metadata.ownerReferences"
        assert errs[0].detail == (
            'Only one reference can have Controller set to true. Found "true" in references for '
            "ReplicaSet/one and StatefulSet/two"
        )

    def test_managed_fields(self) -> None:
        meta = {"name": "a", "managedFields": [{"manager": "m", "operation": "Patch", "fieldsType": "FieldsV2"}]}
        assert strs(validate_object_meta(meta, namespaced=False, name_rule="subdomain")) == [
            'metadata.managedFields[0].operation: Invalid value: "Patch": must be `Apply` or `Update`',
            'metadata.managedFields[0].fieldsType: Invalid value: "FieldsV2": must be `FieldsV1`',
        ]

    def test_wrong_json_types_do_not_raise(self) -> None:
        meta = {"name": 5, "labels": [], "annotations": "x", "finalizers": "f", "ownerReferences": {}}
        assert strs(validate_object_meta(meta, namespaced=False, name_rule="subdomain")) == [
            "metadata.name: Invalid value: 5: must be of type string",
            "metadata.name: Required value: name or generateName is required",
            "metadata.labels: Invalid value: []: must be of type object",
            'metadata.annotations: Invalid value: "x": must be of type object',
            "metadata.ownerReferences: Invalid value: {}: must be of type array",
            'metadata.finalizers: Invalid value: "f": must be of type array',
        ]
        assert strs(validate_object_meta("x", namespaced=False, name_rule="subdomain")) == [  # type: ignore[arg-type]
            'metadata: Invalid value: "x": must be of type object'
        ]


class TestObjectMetaUpdate:
    OLD = {
        "name": "a",
        "namespace": "ns",
        "uid": "u1",
        "resourceVersion": "5",
        "creationTimestamp": "2024-01-02T03:04:05Z",
        "finalizers": ["example.com/a"],
    }

    def test_unchanged(self) -> None:
        assert validate_object_meta_update(dict(self.OLD, labels={"x": "y"}), self.OLD) == []

    def test_immutable_strings(self) -> None:
        new = dict(self.OLD, name="b", namespace="other", uid="u2")
        assert strs(validate_object_meta_update(new, self.OLD)) == [
            'metadata.name: Invalid value: "b": field is immutable',
            'metadata.namespace: Invalid value: "other": field is immutable',
            'metadata.uid: Invalid value: "u2": field is immutable',
        ]

    def test_creation_timestamp(self) -> None:
        same = dict(self.OLD, creationTimestamp="2024-01-02T04:04:05+01:00")
        assert validate_object_meta_update(same, self.OLD) == []
        new = dict(self.OLD, creationTimestamp="2025-06-07T08:09:10Z")
        assert strs(validate_object_meta_update(new, self.OLD)) == [
            "metadata.creationTimestamp: Invalid value: 2025-06-07 08:09:10 +0000 UTC: field is immutable"
        ]

    def test_deletion_fields(self) -> None:
        old = dict(self.OLD, deletionTimestamp="2024-01-02T03:04:06Z", deletionGracePeriodSeconds=30)
        new = dict(self.OLD, deletionGracePeriodSeconds=0)
        assert strs(validate_object_meta_update(new, old)) == [
            "metadata.deletionTimestamp: Invalid value: null: field is immutable",
            "metadata.deletionGracePeriodSeconds: Invalid value: 0: field is immutable",
        ]

    def test_no_new_finalizers_while_deleting(self) -> None:
        old = dict(self.OLD, deletionTimestamp="2024-01-02T03:04:06Z")
        new = dict(old, finalizers=["example.com/a", "x", "b"])
        errs = validate_object_meta_update(new, old)
        assert strs(errs) == [
            "metadata.finalizers: Forbidden: no new finalizers can be added if the object is being deleted, "
            'found new finalizers []string{"b", "x"}'
        ]
        assert errs[0].cause()["reason"] == "FieldValueForbidden"
        assert validate_object_meta_update(dict(old, finalizers=[]), old) == []

    def test_finalizers_free_when_not_deleting(self) -> None:
        assert validate_object_meta_update(dict(self.OLD, finalizers=["example.com/b"]), self.OLD) == []

    def test_new_labels_are_validated(self) -> None:
        assert strs(validate_object_meta_update(dict(self.OLD, labels={"a": "-"}), self.OLD)) == [
            f'metadata.labels: Invalid value: "-": {LABEL_VALUE_MSG}'
        ]


class TestLabelSelector:
    def test_valid(self) -> None:
        sel = {
            "matchLabels": {"app": "web"},
            "matchExpressions": [
                {"key": "tier", "operator": "In", "values": ["a", "b"]},
                {"key": "example.com/x", "operator": "DoesNotExist"},
            ],
        }
        assert validate_label_selector(sel, "spec.selector") == []
        assert validate_label_selector(None, "spec.selector") == []
        assert validate_label_selector({}, "spec.selector") == []

    def test_values_required_for_in(self) -> None:
        sel = {"matchExpressions": [{"key": "a", "operator": "NotIn", "values": []}]}
        assert strs(validate_label_selector(sel, "spec.selector")) == [
            "spec.selector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'"
        ]

    def test_values_forbidden_for_exists(self) -> None:
        sel = {"matchExpressions": [{"key": "a", "operator": "Exists", "values": ["x"]}]}
        assert strs(validate_label_selector(sel, "spec.selector")) == [
            "spec.selector.matchExpressions[0].values: Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'"
        ]

    def test_bad_operator(self) -> None:
        sel = {"matchExpressions": [{"key": "a", "operator": "Equals", "values": ["x"]}]}
        assert strs(validate_label_selector(sel, "spec.selector")) == [
            'spec.selector.matchExpressions[0].operator: Invalid value: "Equals": not a valid selector operator'
        ]

    def test_bad_key_and_values(self) -> None:
        sel = {"matchLabels": {"a": "b c"}, "matchExpressions": [{"key": "-k", "operator": "In", "values": ["ok", "-v"]}]}
        assert strs(validate_label_selector(sel, "spec.selector")) == [
            f'spec.selector.matchLabels: Invalid value: "b c": {LABEL_VALUE_MSG}',
            f'spec.selector.matchExpressions[0].key: Invalid value: "-k": name part {QNAME_MSG}',
            f'spec.selector.matchExpressions[0].values[1]: Invalid value: "-v": {LABEL_VALUE_MSG}',
        ]

    def test_wrong_types(self) -> None:
        assert strs(validate_label_selector("app=web", "spec.selector")) == [
            'spec.selector: Invalid value: "app=web": must be of type object'
        ]
        assert strs(validate_label_selector({"matchExpressions": {}}, "spec.selector")) == [
            "spec.selector.matchExpressions: Invalid value: {}: must be of type array"
        ]


class TestNonnegative:
    def test_values(self) -> None:
        assert validate_nonnegative(0, "spec.replicas") == []
        assert validate_nonnegative(None, "spec.replicas") == []
        assert strs(validate_nonnegative(-1, "spec.replicas")) == [
            "spec.replicas: Invalid value: -1: must be greater than or equal to 0"
        ]
        assert strs(validate_nonnegative("1", "spec.replicas")) == [
            'spec.replicas: Invalid value: "1": must be of type integer'
        ]
        assert strs(validate_nonnegative(True, "spec.replicas")) == [
            "spec.replicas: Invalid value: true: must be of type integer"
        ]
