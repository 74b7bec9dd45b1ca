"""Selector parsing, matching, canonical form and the apiserver's exact error texts (apimachinery labels/fields)."""

from __future__ import annotations

import pytest

from fakeapi.registry.selectors import (
    FieldSelector,
    LabelSelector,
    SelectorError,
    check_fields,
    label_selector_from_dict,
    parse_field_selector,
    parse_label_selector,
)

NAME_RULE = ("must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an "
             "alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation "
             "is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')")
VALUE_RULE = ("a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and "
              "must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', "
              "regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')")
PREFIX_RULE = ("prefix part a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, "
               "'-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used "
               r"for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')")
NOT_INT = "for 'Gt', 'Lt' operators, the value must be an integer"
REQ = "unable to parse requirement: "


def label_error(text: str) -> str:
    with pytest.raises(SelectorError) as info:
        parse_label_selector(text)
    assert isinstance(info.value, ValueError)
    return str(info.value)


def field_error(text: str) -> str:
    with pytest.raises(SelectorError) as info:
        parse_field_selector(text)
    return str(info.value)


@pytest.mark.parametrize(("text", "canonical"), [
    ("", ""),
    ("app", "app"),
    ("!app", "!app"),
    ("app=web", "app=web"),
    ("app==web", "app==web"),
    ("app!=web", "app!=web"),
    ("app in (web)", "app in (web)"),
    ("app in (web,db)", "app in (db,web)"),
    ("app notin (z,a,z)", "app notin (a,z)"),
    ("n>5", "n>5"),
    ("n<05", "n<05"),
    ("tier=web,app=x,!gone,exists", "app=x,exists,!gone,tier=web"),
    ("app=", "app="),
    ("app=,tier", "app=,tier"),
    ("x in ()", "x in ()"),
    ("x in (,a)", "x in (,a)"),
    ("x in (a,)", "x in (,a)"),
    ("x in (a,,b)", "x in (,a,b)"),
    ("x in (,)", "x in ()"),
    ("in=notin", "in=notin"),
    ("x in (in,notin)", "x in (in,notin)"),
    ("  a = b ,\tc  in ( x , y ) ,\n!d ", "a=b,c in (x,y),!d"),
    ("example.com/app=web,k8s.io/x_y.z-1=A_b.c-9", "example.com/app=web,k8s.io/x_y.z-1=A_b.c-9"),
    ("a=b \x00 ignored garbage", "a=b"),
    ("a=b,\x00c", "a=b,c"),
])
def test_parse_canonical_string(text: str, canonical: str) -> None:
    assert str(parse_label_selector(text)) == canonical


def test_parse_requirements_are_sorted_by_key_with_sorted_unique_values() -> None:
    sel = parse_label_selector("z=1,a in (c,b,c),m")
    assert sel.requirements == (("a", "in", ("b", "c")), ("m", "exists", ()), ("z", "=", ("1",)))


def test_canonical_form_reparses_to_the_same_selector() -> None:
    sel = parse_label_selector("b notin (y,x),a>3,!c,d,e==f,g!=,h in ()")
    assert str(parse_label_selector(str(sel))) == str(sel)


def test_empty_and_equality_pairs() -> None:
    assert parse_label_selector("").empty()
    assert parse_label_selector("   ").empty()
    assert not parse_label_selector("a").empty()
    sel = parse_label_selector("b==2,a=1,c!=3,d in (4),e")
    assert sel.equality_pairs() == [("a", "1"), ("b", "2"), ("d", "4")]  # a one-value `in` is an equality
    assert parse_label_selector("a notin (x)").equality_pairs() == []


LABELS = {"app": "web", "tier": "front", "n": "10", "empty": ""}


@pytest.mark.parametrize(("text", "expected"), [
    ("", True),
    ("app=web", True),
    ("app==web", True),
    ("app=db", False),
    ("missing=x", False),
    ("app!=db", True),
    ("app!=web", False),
    ("missing!=x", True),
    ("app in (db,web)", True),
    ("app in (db)", False),
    ("missing in (x)", False),
    ("app notin (db)", True),
    ("app notin (web,db)", False),
    ("missing notin (x)", True),
    ("app", True),
    ("missing", False),
    ("!missing", True),
    ("!app", False),
    ("empty=", True),
    ("empty", True),
    ("missing=", False),
    ("empty in ()", True),
    ("app in ()", False),
    ("n>9", True),
    ("n>10", False),
    ("n<11", True),
    ("n<10", False),
    ("missing>1", False),
    ("missing<1", False),
    ("app>1", False),
    ("empty<1", False),
    ("app=web,tier=front,n>1,!gone", True),
    ("app=web,tier=back", False),
    ("app=web,app=db", False),
    ("app=web,app==web", True),
])
def test_matches(text: str, expected: bool) -> None:
    assert parse_label_selector(text).matches(LABELS) is expected


@pytest.mark.parametrize(("text", "expected"), [
    ("", True), ("a!=x", True), ("a notin (x)", True), ("!a", True),
    ("a", False), ("a=", False), ("a in (x)", False), ("a>0", False),
])
def test_matches_object_without_labels(text: str, expected: bool) -> None:
    sel = parse_label_selector(text)
    assert sel.matches(None) is expected
    assert sel.matches({}) is expected


@pytest.mark.parametrize(("value", "expected"), [
    ("7", True), ("+7", True), ("-3", False), ("6", False), ("07", True),
    ("7.0", False), ("7a", False), (" 7", False), ("1_0", False), ("٧", False),
    ("9223372036854775807", True), ("9223372036854775808", False),
])
def test_gt_parses_label_values_as_go_int64(value: str, expected: bool) -> None:
    assert parse_label_selector("n>6").matches({"n": value}) is expected


def test_lt_with_negative_label_value() -> None:
    assert parse_label_selector("n<0").matches({"n": "-1"})
    assert not parse_label_selector("n<0").matches({"n": "0"})


@pytest.mark.parametrize(("text", "message"), [
    ("app in web", REQ + "found 'web' expected: '('"),
    ("x in", REQ + "found '' expected: '('"),
    ("a,,b", "found ',', expected: identifier after ','"),
    ("a,", "found '', expected: identifier after ','"),
    ("a,=b", "found '=', expected: identifier after ','"),
    ("a=b c", "found 'c', expected: ',' or 'end of string'"),
    ("x in (a) y", "found 'y', expected: ',' or 'end of string'"),
    ("!a=b", "found '=', expected: ',' or 'end of string'"),
    ("a b", REQ + "found 'b', expected: in, notin, =, ==, !=, gt, lt"),
    ("a ! b", REQ + "found '!', expected: in, notin, =, ==, !=, gt, lt"),
    ("a\x00b", REQ + "found 'b', expected: in, notin, =, ==, !=, gt, lt"),
    ("a=b\x00c", "found 'c', expected: ',' or 'end of string'"),
    ("a=b, \x00c", "found '', expected: identifier after ','"),
    ("=a", "found '=', expected: !, identifier, or 'end of string'"),
    ("(a)", "found '(', expected: !, identifier, or 'end of string'"),
    (",a", "found ',', expected: !, identifier, or 'end of string'"),
    ("!", REQ + "found '', expected: identifier"),
    ("!!a", REQ + "found '!', expected: identifier"),
    ("a=(", REQ + "found '(', expected: identifier"),
    ("a===b", REQ + "found '=', expected: identifier"),
    ("a<=3", REQ + "found '=', expected: identifier"),
    ("x in (a b)", REQ + "found 'b', expected: ',' or ')'"),
    ("app in (web", REQ + "found '', expected: ',' or ')'"),
    ("x in (=)", REQ + "found '=', expected: ',', ')' or identifier"),
    ("x in (", REQ + "found '', expected: ',', ')' or identifier"),
    ("x in (a,=)", REQ + "found '=', expected: ',', or identifier"),
    ("x in (a,", REQ + "found '', expected: ',', or identifier"),
    ("x in (a,,)", REQ + "found ')', expected: ',', or identifier"),
    ("x in (,,)", REQ + "found ')', expected: ',', or identifier"),
])
def test_syntax_errors(text: str, message: str) -> None:
    assert label_error(text) == message


@pytest.mark.parametrize(("text", "message"), [
    ("app:monolith", REQ + '<nil>: Invalid value: "app:monolith": name part ' + NAME_RULE),
    ("-app=x", REQ + '<nil>: Invalid value: "-app": name part ' + NAME_RULE),
    ("k" * 64, REQ + f'<nil>: Invalid value: "{"k" * 64}": name part must be no more than 63 bytes'),
    ("/x", REQ + '<nil>: Invalid value: "/x": prefix part must be non-empty'),
    ("x/", REQ + '<nil>: Invalid value: "x/": name part must be non-empty; name part ' + NAME_RULE),
    ("Foo.com/x", REQ + '<nil>: Invalid value: "Foo.com/x": ' + PREFIX_RULE),
    ("app.kubernetes_io/name=v", REQ + '<nil>: Invalid value: "app.kubernetes_io/name": ' + PREFIX_RULE),
    ("a/b/c", REQ + '<nil>: Invalid value: "a/b/c": a valid label key ' + NAME_RULE
     + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"),
    ('"q"=1', REQ + '<nil>: Invalid value: "\\"q\\"": name part ' + NAME_RULE),
])
def test_invalid_key_errors(text: str, message: str) -> None:
    assert label_error(text) == message


def test_long_prefix_is_checked_against_253_bytes() -> None:
    prefix = ".".join(["a" * 63] * 4) + "b"
    assert label_error(prefix + "/x") == (
        REQ + f'<nil>: Invalid value: "{prefix}/x": prefix part must be no more than 253 bytes')


@pytest.mark.parametrize(("text", "message"), [
    ("app=" + "v" * 64, REQ + f'values[0][app]: Invalid value: "{"v" * 64}": must be no more than 63 bytes'),
    ("app=-web", REQ + 'values[0][app]: Invalid value: "-web": ' + VALUE_RULE),
    ("app in (ok,b_)", REQ + 'values[0][app]: Invalid value: "b_": ' + VALUE_RULE),
    ("app in (z_,ok)", REQ + 'values[1][app]: Invalid value: "z_": ' + VALUE_RULE),
    ("app=" + "é" * 32, REQ + f'values[0][app]: Invalid value: "{"é" * 32}": must be no more than 63 bytes; '
     + VALUE_RULE),
    ("a=\x01", REQ + 'values[0][a]: Invalid value: "\\x01": ' + VALUE_RULE),
    ("n>abc", REQ + f'values[0]: Invalid value: "abc": {NOT_INT}'),
    ("n<", REQ + f'values[0]: Invalid value: "": {NOT_INT}'),
    ("n>9223372036854775808", REQ + f'values[0]: Invalid value: "9223372036854775808": {NOT_INT}'),
    ("n>-1", REQ + 'values[0][n]: Invalid value: "-1": ' + VALUE_RULE),
    ("n>x.", REQ + f'[values[0]: Invalid value: "x.": {NOT_INT}, values[0][n]: Invalid value: "x.": '
     + VALUE_RULE + "]"),
])
def test_invalid_value_errors(text: str, message: str) -> None:
    assert label_error(text) == message


def test_first_error_wins_in_left_to_right_order() -> None:
    assert label_error("b=-x,a:b") == REQ + 'values[0][b]: Invalid value: "-x": ' + VALUE_RULE


def test_from_dict_none_selects_nothing_and_empty_selects_everything() -> None:
    nothing = label_selector_from_dict(None)
    assert not nothing.matches({}) and not nothing.matches({"a": "b"})
    assert not nothing.empty()
    assert str(nothing) == "" and nothing.equality_pairs() == []
    for everything in ({}, {"matchLabels": {}}, {"matchLabels": None, "matchExpressions": []}):
        sel = label_selector_from_dict(everything)
        assert sel.empty() and sel.matches({}) and sel.matches(None) and str(sel) == ""


def test_from_dict_builds_sorted_requirements() -> None:
    sel = label_selector_from_dict({
        "matchLabels": {"tier": "web", "app": "x"},
        "matchExpressions": [
            {"key": "env", "operator": "In", "values": ["prod", "dev"]},
            {"key": "zone", "operator": "NotIn", "values": ["b"]},
            {"key": "canary", "operator": "DoesNotExist"},
            {"key": "owner", "operator": "Exists", "values": []},
        ],
    })
    assert str(sel) == "app=x,!canary,env in (dev,prod),owner,tier=web,zone notin (b)"
    assert sel.equality_pairs() == [("app", "x"), ("tier", "web")]
    assert sel.matches({"app": "x", "tier": "web", "env": "dev", "owner": "me"})
    assert sel.matches({"app": "x", "tier": "web", "env": "prod", "owner": "", "zone": "a"})
    assert not sel.matches({"app": "x", "tier": "web", "env": "prod", "owner": "me", "zone": "b"})
    assert not sel.matches({"app": "x", "tier": "web", "env": "qa", "owner": "me"})
    assert not sel.matches({"app": "x", "tier": "web", "env": "dev", "owner": "me", "canary": "1"})
    assert not sel.matches({"app": "x", "tier": "web", "env": "dev"})


def test_from_dict_keeps_duplicate_values_but_prints_them_sorted() -> None:
    sel = label_selector_from_dict({"matchExpressions": [{"key": "a", "operator": "In", "values": ["y", "x", "y"]}]})
    assert str(sel) == "a in (x,y,y)"
    assert sel.matches({"a": "y"}) and not sel.matches({"a": "z"})


@pytest.mark.parametrize(("sel", "message"), [
    ({"matchExpressions": [{"key": "a", "operator": "Gt", "values": ["1"]}]},
     '"Gt" is not a valid pod selector operator'),
    ({"matchExpressions": [{"key": "a", "operator": "in", "values": ["1"]}]},
     '"in" is not a valid pod selector operator'),
    ({"matchExpressions": [{"key": "a"}]}, '"" is not a valid pod selector operator'),
    ({"matchExpressions": [{"key": "a", "operator": "In"}]},
     "values: Invalid value: []string(nil): for 'in', 'notin' operators, values set can't be empty"),
    ({"matchExpressions": [{"key": "a", "operator": "NotIn", "values": []}]},
     "values: Invalid value: []string(nil): for 'in', 'notin' operators, values set can't be empty"),
    ({"matchExpressions": [{"key": "a", "operator": "Exists", "values": ["x", "y"]}]},
     'values: Invalid value: []string{"x", "y"}: values set must be empty for exists and does not exist'),
    ({"matchExpressions": [{"key": "a", "operator": "In", "values": ["ok", "-bad"]}]},
     'values[1][a]: Invalid value: "-bad": ' + VALUE_RULE),
    ({"matchLabels": {"bad key": "v"}}, 'key: Invalid value: "bad key": name part ' + NAME_RULE),
    ({"matchLabels": {"app": "v" * 64}}, f'values[0][app]: Invalid value: "{"v" * 64}": must be no more than 63 bytes'),
    ({"matchExpressions": [{"key": "/", "operator": "In", "values": []}]},
     '[key: Invalid value: "/": prefix part must be non-empty; name part must be non-empty; name part ' + NAME_RULE
     + ", values: Invalid value: []string(nil): for 'in', 'notin' operators, values set can't be empty]"),
])
def test_from_dict_errors(sel: dict, message: str) -> None:
    with pytest.raises(SelectorError) as info:
        label_selector_from_dict(sel)
    assert str(info.value) == message


def test_selector_objects_are_label_selector_instances() -> None:
    assert isinstance(parse_label_selector("a"), LabelSelector)
    assert isinstance(label_selector_from_dict({}), LabelSelector)
    assert isinstance(parse_field_selector("a=b"), FieldSelector)


@pytest.mark.parametrize(("text", "requirements"), [
    ("", []),
    (",", []),
    ("=", []),
    ("!=,==", []),
    ("metadata.name=web", [("metadata.name", "=", "web")]),
    ("metadata.name==web", [("metadata.name", "=", "web")]),
    ("status.phase!=Failed", [("status.phase", "!=", "Failed")]),
    ("spec.nodeName=", [("spec.nodeName", "=", "")]),
    ("=x", [("", "=", "x")]),
    ("b=1,a=2,", [("a", "=", "2"), ("b", "=", "1")]),
    ("spec.nodeName=n1,status.phase!=Succeeded,status.phase!=Failed",
     [("spec.nodeName", "=", "n1"), ("status.phase", "!=", "Failed"), ("status.phase", "!=", "Succeeded")]),
    ("metadata.name=web,metadata.name=web", [("metadata.name", "=", "web"), ("metadata.name", "=", "web")]),
    ("a=x\\,y", [("a", "=", "x,y")]),
    ("a=x\\=y", [("a", "=", "x=y")]),
    ("a=x\\\\y", [("a", "=", "x\\y")]),
    ("a!=\\,\\=\\\\", [("a", "!=", ",=\\")]),
    ("a =b", [("a ", "=", "b")]),
    ("a!b=c", [("a!b", "=", "c")]),
    ("a\\,b=c", [("a\\,b", "=", "c")]),
    ("a=!b", [("a", "=", "!b")]),
])
def test_field_parse(text: str, requirements: list[tuple[str, str, str]]) -> None:
    sel = parse_field_selector(text)
    assert sel.requirements == requirements
    assert sel.empty() is (not requirements)


@pytest.mark.parametrize(("text", "message"), [
    ("foo", "invalid selector: 'foo'; can't understand 'foo'"),
    ("a=b,foo", "invalid selector: 'a=b,foo'; can't understand 'foo'"),
    ("z=1,b,a", "invalid selector: 'z=1,b,a'; can't understand 'a'"),
    ("a<1", "invalid selector: 'a<1'; can't understand 'a<1'"),
    ("a=b=c", "invalid field selector: unescaped character in value: 61"),
    ("a!=b=c", "invalid field selector: unescaped character in value: 61"),
    ("a=!=b", "invalid field selector: unescaped character in value: 61"),
    ("a=\\x", "invalid field selector: invalid escape sequence: \\x"),
    ("a=\\!", "invalid field selector: invalid escape sequence: \\!"),
    ("a=b\\", "invalid field selector: invalid escape sequence: \\"),
])
def test_field_errors(text: str, message: str) -> None:
    assert field_error(text) == message


def test_field_matches_treats_missing_fields_as_empty() -> None:
    fields = {"metadata.name": "web", "status.phase": "Running"}
    assert parse_field_selector("metadata.name=web").matches(fields)
    assert not parse_field_selector("metadata.name=db").matches(fields)
    assert parse_field_selector("status.phase!=Failed,status.phase!=Succeeded").matches(fields)
    assert not parse_field_selector("status.phase!=Running").matches(fields)
    assert parse_field_selector("spec.nodeName=").matches(fields)
    assert not parse_field_selector("spec.nodeName!=").matches(fields)
    assert parse_field_selector("spec.nodeName!=n1").matches(fields)
    assert not parse_field_selector("metadata.name=web,metadata.name=db").matches(fields)
    assert parse_field_selector("").matches({})
    assert parse_field_selector("a=x\\,y").matches({"a": "x,y"})


def test_field_exact_fields_and_string_form() -> None:
    sel = parse_field_selector("status.phase!=Failed,metadata.name==web,metadata.namespace=ns")
    assert sel.exact("metadata.name") == "web"
    assert sel.exact("status.phase") is None
    assert sel.exact("spec.nodeName") is None
    assert sel.fields() == {"metadata.name", "metadata.namespace", "status.phase"}
    assert str(sel) == "metadata.name=web,metadata.namespace=ns,status.phase!=Failed"
    assert str(parse_field_selector("a=x\\,y\\=z\\\\")) == "a=x\\,y\\=z\\\\"
    assert parse_field_selector("metadata.name=a,metadata.name=b").exact("metadata.name") == "a"


def test_check_fields() -> None:
    allowed = ["metadata.name", "metadata.namespace", "status.phase"]
    check_fields(parse_field_selector("metadata.name=a,status.phase!=Failed"), allowed, "pods")
    check_fields(parse_field_selector(""), [], "pods")
    with pytest.raises(SelectorError) as info:
        check_fields(parse_field_selector("spec.zeta=1,metadata.name=a,spec.alpha=2"), iter(allowed), "pods")
    assert str(info.value) == "field label not supported: spec.alpha"
    with pytest.raises(SelectorError) as info:
        check_fields(parse_field_selector("=x"), frozenset(allowed), "pods")
    assert str(info.value) == "field label not supported: "
