from __future__ import annotations

import pytest

from fkubectl.flags import ARRAY, BOOL, INT, SLICE, STRING, Flag, FlagError, help_text, parse

FLAGS = (
    Flag("namespace", STRING, short="n"),
    Flag("output", STRING, short="o"),
    Flag("all-namespaces", BOOL, short="A"),
    Flag("watch", BOOL, short="w"),
    Flag("replicas", INT, -1),
    Flag("filename", SLICE, short="f"),
    Flag("from-literal", ARRAY),
    Flag("dry-run", STRING, "none", no_opt="unchanged"),
)


def test_interspersed_flags_and_arguments() -> None:
    values, args = parse(["pods", "-n", "kube-system", "web", "--output=wide"], FLAGS)
    assert args == ["pods", "web"]
    assert values["namespace"] == "kube-system" and values["output"] == "wide"
    assert values.changed == {"namespace", "output"}


@pytest.mark.parametrize("argv", [["-ojson"], ["-o=json"], ["-o", "json"], ["--output", "json"], ["--output=json"]])
def test_value_spellings(argv: list[str]) -> None:
    assert parse(argv, FLAGS)[0]["output"] == "json"


def test_combined_boolean_shorthands() -> None:
    values, _ = parse(["-Aw"], FLAGS)
    assert values["all-namespaces"] and values["watch"]


def test_bool_with_explicit_value() -> None:
    assert parse(["--watch=false"], FLAGS)[0]["watch"] is False
    with pytest.raises(FlagError, match='invalid argument "maybe" for "-w, --watch" flag: strconv.ParseBool'):
        parse(["--watch=maybe"], FLAGS)


def test_slices_split_on_commas_and_accumulate_arrays_do_not() -> None:
    values, _ = parse(["-f", "a.yaml,b.yaml", "-f", "c.yaml", "--from-literal=a=1,2", "--from-literal", "b=3"], FLAGS)
    assert values["filename"] == ["a.yaml", "b.yaml", "c.yaml"]
    assert values["from-literal"] == ["a=1,2", "b=3"]


def test_double_dash_ends_flags() -> None:
    _, args = parse(["web", "--", "sleep", "-n", "10"], FLAGS)
    assert args == ["web", "sleep", "-n", "10"]


def test_no_opt_default() -> None:
    assert parse(["--dry-run"], FLAGS)[0]["dry-run"] == "unchanged"
    assert parse(["--dry-run=client"], FLAGS)[0]["dry-run"] == "client"


@pytest.mark.parametrize(("argv", "message"), [
    (["--foo"], "unknown flag: --foo"),
    (["-x"], "unknown shorthand flag: 'x' in -x"),
    (["-n"], "flag needs an argument: 'n' in -n"),
    (["--namespace"], "flag needs an argument: --namespace"),
    (["--replicas=x"], 'invalid argument "x" for "--replicas" flag: strconv.ParseInt: parsing "x": invalid syntax'),
])
def test_kubectl_error_wording(argv: list[str], message: str) -> None:
    with pytest.raises(FlagError) as info:
        parse(argv, FLAGS)
    assert str(info.value) == message


def test_defaults_are_fresh_copies() -> None:
    first, _ = parse(["-f", "a"], FLAGS)
    second, _ = parse([], FLAGS)
    assert second["filename"] == [] and first["filename"] == ["a"]


def test_help_text_layout() -> None:
    text = help_text([Flag("output", STRING, short="o", help="Output format."), Flag("watch", BOOL, help="Watch.")])
    assert text == "    -o, --output='':\n\tOutput format.\n\n    --watch=false:\n\tWatch.\n"
