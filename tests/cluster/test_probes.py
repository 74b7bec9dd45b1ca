"""probes.evaluate / run_exec: deterministic probe and hook outcomes with the kubelet's failure messages."""

from __future__ import annotations

import pytest

from fakeapi.cluster.probes import Outcome, ProbeTarget, describe_probe, evaluate, run_exec

IP = "10.244.1.3"


def target(image: str = "nginx:1.20.2", *, listening: tuple[int, ...] = (80,), ports: dict[str, int] | None = None,
           files: tuple[str, ...] = ()) -> ProbeTarget:
    return ProbeTarget(image, IP, frozenset(listening), ports or {}, frozenset(files))


# ---- httpGet -----------------------------------------------------------------------------------------

def test_http_get_index_html_on_nginx_succeeds_and_reports_the_path() -> None:
    out = evaluate({"httpGet": {"path": "/index.html", "port": 80}}, target())
    assert out == Outcome(True, "", "/index.html", 200)


def test_http_get_default_path_is_slash() -> None:
    out = evaluate({"httpGet": {"port": 80}}, target())
    assert out.ok and out.path == "/"


def test_http_get_missing_path_is_a_404() -> None:
    # seed 004: the commented-out /monitor/monitor.html path
    out = evaluate({"httpGet": {"path": "/monitor/monitor.html", "port": 80}}, target())
    assert not out.ok
    assert out.message == "HTTP probe failed with statuscode: 404"
    assert out.path == "/monitor/monitor.html"


def test_http_get_query_string_is_ignored_for_path_lookup() -> None:
    assert evaluate({"httpGet": {"path": "/index.html?x=1", "port": 80}}, target()).ok


def test_http_get_closed_port_is_connection_refused_with_the_url() -> None:
    out = evaluate({"httpGet": {"path": "/healthz", "port": 8080}}, target())
    assert not out.ok
    assert out.message == f'Get "http://{IP}:8080/healthz": dial tcp {IP}:8080: connect: connection refused'


def test_http_get_named_port_resolves_through_container_ports() -> None:
    t = target(ports={"http": 80})
    assert evaluate({"httpGet": {"path": "/", "port": "http"}}, t).ok
    assert evaluate({"httpGet": {"path": "/", "port": "80"}}, t).ok


def test_http_get_unknown_named_port_fails() -> None:
    out = evaluate({"httpGet": {"path": "/", "port": "web"}}, target())
    assert not out.ok and "connection refused" in out.message


def test_http_get_scheme_and_host_appear_in_the_message() -> None:
    out = evaluate({"httpGet": {"path": "/", "port": 443, "scheme": "HTTPS", "host": "example.internal"}}, target())
    assert out.message == ('Get "https://example.internal:443/": dial tcp example.internal:443: '
                           "connect: connection refused")


def test_http_get_on_an_image_serving_no_known_paths_accepts_any_path() -> None:
    t = target("example.com/app:1", listening=(8080,))
    assert evaluate({"httpGet": {"path": "/anything/at/all", "port": 8080}}, t).ok


def test_http_get_on_tomcat() -> None:
    t = target("tomcat:7.0.94-alpine", listening=(8080,))
    assert evaluate({"httpGet": {"path": "/index.jsp", "port": 8080}}, t).ok
    assert not evaluate({"httpGet": {"path": "/index.jsp", "port": 80}}, t).ok


# ---- tcpSocket ---------------------------------------------------------------------------------------

def test_tcp_socket_open_port() -> None:
    assert evaluate({"tcpSocket": {"port": 80}}, target()).ok


def test_tcp_socket_closed_port_message() -> None:
    out = evaluate({"tcpSocket": {"port": 81}}, target())
    assert out == Outcome(False, f"dial tcp {IP}:81: connect: connection refused")


def test_tcp_socket_when_nothing_listens() -> None:
    # a container that is not serving (e.g. busybox sleep) has no open ports
    assert not evaluate({"tcpSocket": {"port": 80}}, target("busybox", listening=())).ok


def test_grpc_behaves_like_a_port_check() -> None:
    assert evaluate({"grpc": {"port": 80}}, target()).ok
    assert not evaluate({"grpc": {"port": 9090}}, target()).ok


def test_a_probe_without_a_handler_succeeds() -> None:
    assert evaluate({"periodSeconds": 3}, target()).ok


# ---- exec --------------------------------------------------------------------------------------------

def test_exec_cat_of_a_file_the_container_created() -> None:
    t = target("registry.k8s.io/busybox", listening=(), files=("/tmp/healthy",))
    assert evaluate({"exec": {"command": ["cat", "/tmp/healthy"]}}, t).ok


def test_exec_cat_of_a_removed_file_fails_with_busybox_wording() -> None:
    t = target("registry.k8s.io/busybox", listening=())
    out = evaluate({"exec": {"command": ["cat", "/tmp/healthy"]}}, t)
    assert not out.ok
    assert out.message == "cat: can't open '/tmp/healthy': No such file or directory"


@pytest.mark.parametrize("cmd", [["test", "-e", "/tmp/ready"], ["sh", "-c", "test -f /tmp/ready"],
                                 ["/bin/sh", "-c", "[ -e /tmp/ready ]"], ["ls", "/tmp/ready"]])
def test_exec_file_checks_use_the_container_files(cmd: list[str]) -> None:
    assert evaluate({"exec": {"command": cmd}}, target("busybox", listening=(), files=("/tmp/ready",))).ok
    assert not evaluate({"exec": {"command": cmd}}, target("busybox", listening=())).ok


def test_exec_seed_003_startup_probe_succeeds() -> None:
    # nginx-po: startupProbe exec sh -c "sleep 1; echo 'success' > /inited"
    cmd = ["sh", "-c", "sleep 1; echo 'success' > /inited"]
    assert evaluate({"exec": {"command": cmd}}, target("nginx:latest")).ok


def test_exec_redis_cli_on_redis() -> None:
    t = target("redis", listening=(6379,))
    assert evaluate({"exec": {"command": ["/usr/local/bin/redis-cli", "quit"]}}, t).ok
    assert evaluate({"exec": {"command": ["redis-cli", "ping"]}}, t).ok


def test_exec_unknown_binary_in_a_known_image_is_an_oci_error() -> None:
    code, out = run_exec(["mysqladmin", "ping"], target("nginx"))
    assert code == 126
    assert out == ('OCI runtime exec failed: exec failed: unable to start container process: exec: "mysqladmin": '
                   "executable file not found in $PATH: unknown")
    outcome = evaluate({"exec": {"command": ["mysqladmin", "ping"]}}, target("nginx"))
    assert not outcome.ok and outcome.message == out


def test_exec_shell_stops_at_the_first_failing_statement() -> None:
    assert run_exec(["sh", "-c", "true && exit 4 && true"], target())[0] == 4
    assert run_exec(["sh", "-c", "echo ok; false"], target())[0] == 1
    assert run_exec(["sh", "-c", "echo ok; true"], target()) == (0, "")


def test_exec_empty_command_fails() -> None:
    assert run_exec([], target()) == (1, "")


def test_describe_probe_names() -> None:
    assert [describe_probe(k) for k in ("startupProbe", "livenessProbe", "readinessProbe")] == \
        ["Startup", "Liveness", "Readiness"]


# ---- files the image ships ------------------------------------------------------------------------

@pytest.mark.parametrize("cmd", [["cat", "/usr/share/nginx/html/index.html"],
                                 ["sh", "-c", "test -e /etc/nginx/nginx.conf"],
                                 ["ls", "/"]])
def test_exec_sees_files_that_ship_with_the_image(cmd: list[str]) -> None:
    assert evaluate({"exec": {"command": cmd}}, target("nginx:1.20.2")).ok


def test_exec_missing_file_message_follows_the_image_coreutils() -> None:
    out = evaluate({"exec": {"command": ["cat", "/tmp/healthy"]}}, target("nginx:1.20.2"))
    assert out.message == "cat: /tmp/healthy: No such file or directory"
