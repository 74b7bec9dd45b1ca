from __future__ import annotations

from fkubectl.client.errors import ApiError, TransportError
from fkubectl.errors import Aggregate, CommandError, Exit, PlainError, render
from fkubectl.flags import FlagError


def status(**kw: object) -> dict[str, object]:
    return {"kind": "Status", "apiVersion": "v1", "status": "Failure", **kw}


def test_not_found() -> None:
    err = ApiError(status(reason="NotFound", message='pods "x" not found', code=404))
    assert render(err) == 'Error from server (NotFound): pods "x" not found\n'


def test_invalid_uses_details_and_causes() -> None:
    err = ApiError(status(reason="Invalid", code=422, message="ignored", details={
        "name": "web", "kind": "Deployment", "causes": [
            {"field": "spec.replicas", "message": "Invalid value: -1: must be greater than or equal to 0"}]}))
    assert render(err) == ('The Deployment "web" is invalid: spec.replicas: Invalid value: -1: must be greater '
                           "than or equal to 0\n")


def test_invalid_with_several_causes_is_a_bulleted_list() -> None:
    err = ApiError(status(reason="Invalid", code=422, details={"name": "p", "kind": "Pod", "causes": [
        {"field": "a", "message": "x"}, {"field": "b", "message": "y"}, {"field": "a", "message": "x"}]}))
    assert render(err) == 'The Pod "p" is invalid: \n* a: x\n* b: y\n'


def test_unauthorized_and_reasonless() -> None:
    assert render(ApiError(status(reason="Unauthorized", message="Unauthorized", code=401))) == \
        "error: You must be logged in to the server (Unauthorized)\n"
    assert render(ApiError(status(message="boom", code=500))) == "Error from server: boom\n"


def test_non_status_body_becomes_a_generic_status() -> None:
    err = ApiError.from_response(404, b"404 page not found", method="GET", resource="pods.metrics.k8s.io")
    assert render(err) == ("Error from server (NotFound): the server could not find the requested resource "
                           "(get pods.metrics.k8s.io)\n")


def test_connection_refused_names_host_and_port() -> None:
    err = TransportError("http://localhost:8080", "connection refused", refused=True)
    assert render(err) == ("The connection to the server localhost:8080 was refused - did you specify the right "
                           "host or port?\n")
    assert render(TransportError("https://x:6443", "dial tcp: lookup x: no such host")) == \
        "Unable to connect to the server: dial tcp: lookup x: no such host\n"


def test_usage_errors_point_at_help() -> None:
    assert render(FlagError("unknown flag: --foo"), command="get") == \
        "error: unknown flag: --foo\nSee 'fkubectl get --help' for usage.\n"


def test_plain_command_aggregate_and_exit() -> None:
    assert render(CommandError("boom")) == "error: boom\n"
    assert render(PlainError("Error in configuration: x")) == "Error in configuration: x\n"
    assert render(Exit(3)) == ""
    agg = Aggregate([CommandError("a"), Aggregate([ApiError(status(reason="NotFound", message="b", code=404))])])
    assert render(agg) == "error: a\nError from server (NotFound): b\n"
