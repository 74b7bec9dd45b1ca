"""programs.program_for: what a container does, derived from command/args/image, as deterministic steps."""

from __future__ import annotations

import math

import pytest

from fakeapi.cluster.programs import Program, Step, program_for


def prog(command: list[str] | None = None, *, args: list[str] | None = None, image: str = "busybox:1.28") -> Program:
    container: dict[str, object] = {"name": "c", "image": image}
    if command is not None:
        container["command"] = command
    if args is not None:
        container["args"] = args
    return program_for(container)


def ops(program: Program) -> list[tuple[str, ...]]:
    out: list[tuple[str, ...]] = []
    for s in program.steps:
        if s.op == "print":
            out.append(("print", s.text))
        elif s.op == "sleep":
            out.append(("sleep", str(s.seconds)))
        elif s.op == "exit":
            out.append(("exit", str(s.code)))
        elif s.op in ("touch", "rm"):
            out.append((s.op, s.arg))
        elif s.op == "wait_service":
            out.append(("wait_service", s.arg, s.text, str(s.seconds)))
        elif s.op == "loop":
            out.append(("loop", s.text, str(s.seconds)))
        else:
            out.append((s.op,))
    return out


# ---- the seed commands -------------------------------------------------------------------------------

def test_pod_test1_echo_success_prints_and_exits() -> None:
    p = prog(["echo", "SUCCESS"], image="nginx")
    assert ops(p) == [("print", "SUCCESS")]
    assert not p.long_running
    assert p.image == "nginx"


def test_myapp_container_prints_then_sleeps_an_hour() -> None:
    p = prog(["sh", "-c", "echo The app is running! && sleep 3600"])
    assert ops(p) == [("print", "The app is running!"), ("sleep", "3600.0")]
    assert p.long_running


@pytest.mark.parametrize("svc", ["myservice", "mydb"])
def test_init_container_until_nslookup_waits_for_the_service(svc: str) -> None:
    p = prog(["sh", "-c", f"until nslookup {svc}; do echo waiting for {svc}; sleep 2; done;"])
    assert ops(p) == [("wait_service", svc, f"waiting for {svc}", "2.0")]


def test_until_nslookup_with_a_qualified_name_keeps_it() -> None:
    p = prog(["sh", "-c", "until nslookup mydb.other.svc.cluster.local; do echo waiting; sleep 5; done"])
    assert ops(p) == [("wait_service", "mydb.other.svc.cluster.local", "waiting", "5.0")]


def test_nginx_daemon_off_command_serves() -> None:
    # seed 003 nginx-po: command: [nginx, -g, 'daemon off;']
    p = prog(["nginx", "-g", "daemon off;"], image="nginx:latest")
    assert ops(p) == [("serve",)]
    assert p.long_running


def test_liveness_docs_example_touch_sleep_rm_sleep() -> None:
    p = prog(args=["/bin/sh", "-c", "touch /tmp/healthy; sleep 30; rm -f /tmp/healthy; sleep 600"],
             image="registry.k8s.io/busybox")
    assert ops(p) == [("touch", "/tmp/healthy"), ("sleep", "30.0"), ("rm", "/tmp/healthy"), ("sleep", "600.0")]


# ---- image entrypoints -------------------------------------------------------------------------------

@pytest.mark.parametrize("image", ["nginx", "nginx:1.14", "redis", "tomcat:7.0.94-alpine", "httpd", "my/custom-app:1"])
def test_no_command_runs_a_server_image_forever(image: str) -> None:
    assert ops(prog(image=image)) == [("serve",)]


@pytest.mark.parametrize("image", ["busybox", "busybox:1.28", "alpine", "ubuntu:22.04"])
def test_no_command_in_a_shell_image_exits_at_once(image: str) -> None:
    # busybox's CMD is `sh`, which exits immediately without a terminal: Completed, then CrashLoopBackOff
    assert ops(prog(image=image)) == [("exit", "0")]


def test_args_only_replace_cmd() -> None:
    assert ops(prog(args=["sleep", "3600"])) == [("sleep", "3600.0")]


def test_bare_shell_exits() -> None:
    assert ops(prog(["/bin/sh"])) == [("exit", "0")]


# ---- shell statements --------------------------------------------------------------------------------

def test_exit_code_after_echo() -> None:
    assert ops(prog(["sh", "-c", 'echo "a b"; exit 3'])) == [("print", "a b"), ("exit", "3")]


def test_false_exits_1() -> None:
    assert ops(prog(["false"])) == [("exit", "1")]


def test_sleep_infinity_and_tail_f() -> None:
    assert math.isinf(prog(["sleep", "infinity"]).steps[0].seconds)
    p = prog(["tail", "-f", "/dev/null"])
    assert p.steps[0].op == "sleep" and math.isinf(p.steps[0].seconds)
    assert p.long_running


def test_short_sleep_is_not_long_running() -> None:
    p = prog(["sleep", "5"])
    assert ops(p) == [("sleep", "5.0")]
    assert not p.long_running


def test_while_true_loop_repeats_its_echo() -> None:
    p = prog(["sh", "-c", "while true; do echo hello; sleep 10; done"])
    assert ops(p) == [("loop", "hello", "10.0")]
    assert p.long_running


def test_bash_ec_is_a_shell_too() -> None:
    assert ops(prog(["/bin/bash", "-ec", "echo one && echo two"], image="ubuntu")) == \
        [("print", "one"), ("print", "two")]


def test_echo_n_drops_the_flag() -> None:
    assert ops(prog(["sh", "-c", "echo -n hi"])) == [("print", "hi")]


def test_unknown_binary_is_treated_as_a_long_running_app() -> None:
    assert ops(prog(["/app/server", "--port", "8080"], image="example.com/app:1")) == [("serve",)]


def test_steps_are_frozen_dataclasses() -> None:
    assert Step("print", text="x") == Step("print", text="x")
    assert prog(["echo", "x"]) == prog(["echo", "x"])


# ---- deviations from a real shell --------------------------------------------------------------------

@pytest.mark.parametrize("script", ["echo hi > /tmp/x", "echo hi >> /tmp/x",
                                    "echo 'Hello from the postStart handler' >> /usr/share/nginx/html/index.html"])
def test_redirected_echo_prints_nothing(script: str) -> None:
    assert [s for s in prog(["sh", "-c", script]).steps if s.op == "print"] == []


def test_for_loop_prints_each_item() -> None:
    assert [s.text for s in prog(["sh", "-c", "for i in 1 2 3; do echo $i; done"]).steps if s.op == "print"] == \
        ["1", "2", "3"]
