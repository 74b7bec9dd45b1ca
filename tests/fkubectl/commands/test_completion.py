"""Shell completion: the `__complete` engine in-process and as a subprocess against a running fakeapi, and
the `completion bash|zsh|fish` scripts, checked for syntax and (bash, and fish when installed) driven the
way the shell drives them: a non-interactive bash with COMP_WORDS/COMP_CWORD set calls the function."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from fakeapi.testing import free_port
from tests.fkubectl.conftest import FKUBECTL, Cluster, Result

PODS = """apiVersion: v1
kind: Pod
metadata: {name: web-0}
spec:
  initContainers: [{name: setup, image: busybox}]
  containers: [{name: app, image: nginx}, {name: sidecar, image: busybox}]
---
apiVersion: v1
kind: Pod
metadata: {name: web-1}
spec: {containers: [{name: app, image: nginx}]}
---
apiVersion: v1
kind: Pod
metadata: {name: db-0}
spec: {containers: [{name: db, image: postgres}]}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: web-config}
"""
ELSEWHERE = """apiVersion: v1
kind: Pod
metadata: {name: batch-0, namespace: jobs}
spec: {containers: [{name: main, image: busybox}]}
"""
EXTRA_CONTEXTS = """apiVersion: v1
kind: Config
clusters:
- name: arn:aws:eks:eu-west-1:1:cluster/prod
  cluster: {server: "https://127.0.0.1:1"}
users:
- name: admin
  user: {}
contexts:
- name: arn:aws:eks:eu-west-1:1:cluster/prod
  context: {cluster: "arn:aws:eks:eu-west-1:1:cluster/prod", user: admin}
- name: arn:aws:eks:eu-west-1:1:cluster/stage
  context: {cluster: "arn:aws:eks:eu-west-1:1:cluster/prod", user: admin}
"""


@pytest.fixture(scope="module", autouse=True)
def objects(cluster: Cluster) -> None:
    assert cluster.fk("create", "namespace", "jobs").code == 0
    assert cluster.fk("create", "-f", "-", stdin=PODS).code == 0
    assert cluster.fk("create", "-f", "-", stdin=ELSEWHERE).code == 0


@pytest.fixture(scope="module")
def extra_kubeconfig(cluster: Cluster) -> dict[str, str]:
    path = cluster.home / "extra-kubeconfig"
    path.write_text(EXTRA_CONTEXTS)
    return {"KUBECONFIG": os.pathsep.join([str(cluster.server.kubeconfig), str(path)])}


def complete(cluster: Cluster, *words: str, env: dict[str, str] | None = None) -> tuple[list[str], int]:
    """Candidates (descriptions dropped) and the directive of `fkubectl __complete <words...>`."""
    result = cluster.fk("__complete", *words, env=env)
    return parse(result)


def parse(result: Result) -> tuple[list[str], int]:
    assert result.code == 0, result.err
    *lines, directive = result.out.splitlines()
    assert directive.startswith(":"), result.out
    return [line.split("\t")[0] for line in lines], int(directive[1:])


# -- the engine ------------------------------------------------------------------------------------------
def test_commands_and_subcommands(cluster: Cluster) -> None:
    names, directive = complete(cluster, "")
    assert {"get", "describe", "rollout", "config", "completion", "help"} <= set(names)
    assert not any(n.startswith("__") for n in names) and directive == 4
    assert complete(cluster, "ro") == (["rollout"], 4)
    assert complete(cluster, "rollout", "st") == (["status"], 4)
    assert complete(cluster, "config", "use") == (["use-context"], 4)
    assert complete(cluster, "help", "ge") == (["get"], 4)
    described = cluster.fk("__complete", "rollout", "").out.splitlines()
    assert "status\tShow the status of the rollout" in described
    plain = cluster.fk("__completeNoDesc", "rollout", "").out.splitlines()
    assert "status" in plain and not any("\t" in line for line in plain)
    assert complete(cluster, "frobnicate", "") == ([], 0)


def test_flags_of_the_current_command(cluster: Cluster) -> None:
    assert complete(cluster, "get", "pods", "--n") == (["--namespace", "--no-headers"], 4)
    assert "-A" in complete(cluster, "get", "-")[0]
    assert "--all-namespaces" not in complete(cluster, "rollout", "status", "--")[0]
    assert "--revision" in complete(cluster, "rollout", "status", "--")[0]
    given = complete(cluster, "get", "pods", "--output=json", "-L", "app", "--")[0]
    assert "--output" not in given and "--label-columns" in given  # repeatable flags stay on offer
    assert not any(name in ("--raw", "--template") for name in complete(cluster, "get", "--")[0])  # hidden
    assert complete(cluster, "get", "pods", "--", "-")[0] == []  # after `--` nothing is a flag


def test_resource_types_from_discovery(cluster: Cluster) -> None:
    types, directive = complete(cluster, "get", "")
    assert directive == 4
    assert {"pods", "configmaps", "namespaces", "deployments.apps"} <= set(types)
    assert not any("/" in t for t in types)  # no subresources
    assert types.index("pods") < types.index("deployments.apps")  # core group first, as api-resources
    assert complete(cluster, "get", "po")[0] == ["pods"]
    assert complete(cluster, "get", "svc")[0] == ["services"]  # short names complete to the type
    assert complete(cluster, "describe", "deploy")[0] == ["deployments.apps"]
    assert complete(cluster, "explain", "cm")[0] == ["configmaps"]
    for verb in ("describe", "delete", "label", "annotate", "edit", "patch"):
        assert "pods" in complete(cluster, verb, "")[0], verb


def test_object_names(cluster: Cluster) -> None:
    assert complete(cluster, "get", "pods", "") == (["db-0", "web-0", "web-1"], 4)
    assert complete(cluster, "get", "po", "web") == (["web-0", "web-1"], 4)
    assert complete(cluster, "get", "pods", "web-0", "")[0] == ["db-0", "web-1"]  # typed names left out
    assert complete(cluster, "get", "pods", "-n", "jobs", "")[0] == ["batch-0"]
    assert complete(cluster, "-n", "jobs", "get", "pods", "")[0] == ["batch-0"]
    assert complete(cluster, "get", "pods", "--namespace=jobs", "")[0] == ["batch-0"]
    assert "batch-0" in complete(cluster, "get", "pods", "-A", "")[0]
    assert complete(cluster, "get", "pod/w") == (["pod/web-0", "pod/web-1"], 4)
    assert complete(cluster, "get", "pods,cm", "web") == (["web-0", "web-1", "web-config"], 4)
    assert complete(cluster, "get", "pod/web-0", "po") == (["pods/"], 6)  # TYPE/NAME form continues, no space
    assert "jobs" in complete(cluster, "get", "ns", "")[0]
    assert complete(cluster, "delete", "pod", "d")[0] == ["db-0"]
    assert complete(cluster, "get", "nosuchtype", "") == ([], 4)


def test_flag_values(cluster: Cluster, extra_kubeconfig: dict[str, str]) -> None:
    namespaces, directive = complete(cluster, "get", "pods", "-n", "")
    assert {"default", "jobs", "kube-system"} <= set(namespaces) and directive == 4
    assert complete(cluster, "-n", "j") == (["jobs"], 4)
    assert complete(cluster, "get", "--namespace=j") == (["jobs"], 4)  # bare values, as cobra
    assert complete(cluster, "get", "-n=j") == (["jobs"], 4)
    assert complete(cluster, "get", "--context", "") == (["fakeapi"], 4)
    contexts = complete(cluster, "--context", "arn:aws:eks:eu-west-1:1:cluster/s", env=extra_kubeconfig)[0]
    assert contexts == ["arn:aws:eks:eu-west-1:1:cluster/stage"]
    assert complete(cluster, "config", "use-context", "", env=extra_kubeconfig)[0] == [
        "arn:aws:eks:eu-west-1:1:cluster/prod", "arn:aws:eks:eu-west-1:1:cluster/stage", "fakeapi"]
    assert complete(cluster, "--user", "ad", env=extra_kubeconfig)[0] == ["admin"]
    formats = complete(cluster, "get", "pods", "-o", "")[0]
    assert formats[:3] == ["json", "yaml", "name"] and "wide" in formats and "custom-columns" in formats
    assert complete(cluster, "get", "-o", "js")[0] == ["json", "jsonpath", "jsonpath-as-json", "jsonpath-file"]
    assert complete(cluster, "get", "-ojsonpath-")[0] == ["-ojsonpath-as-json", "-ojsonpath-file"]
    assert complete(cluster, "version", "-o", "")[0] == ["yaml", "json"]
    assert complete(cluster, "api-resources", "-o", "")[0] == ["wide", "name"]
    assert complete(cluster, "apply", "-f", "") == (["json", "yaml", "yml"], 8)
    assert complete(cluster, "get", "--cache-dir", "") == ([], 16)
    assert complete(cluster, "get", "-l", "") == ([], 0)  # no completion: the shell completes files


def test_command_specific_arguments(cluster: Cluster) -> None:
    assert complete(cluster, "scale", "") == (["deployment", "replicaset", "replicationcontroller",
                                               "statefulset"], 4)
    assert complete(cluster, "rollout", "status", "d") == (["deployment", "daemonset"], 4)
    assert complete(cluster, "rollout", "status", "deployment", "x", "") == ([], 4)  # a single object
    logs, directive = complete(cluster, "logs", "")
    assert logs[:3] == ["db-0", "web-0", "web-1"] and "deployments/" in logs and directive == 4
    assert complete(cluster, "logs", "pods/w") == (["pods/web-0", "pods/web-1"], 4)
    assert complete(cluster, "logs", "web-0", "") == (["setup", "app", "sidecar"], 4)
    assert complete(cluster, "logs", "web-0", "-c", "s") == (["setup", "sidecar"], 4)
    assert complete(cluster, "completion", "") == (["bash", "zsh", "fish"], 4)
    assert complete(cluster, "create", "") == (["configmap", "deployment", "namespace", "secret"], 4)
    assert complete(cluster, "create", "namespace", "") == ([], 0)


def test_unreachable_server_completes_nothing_quickly(cluster: Cluster) -> None:
    config = cluster.home / "dead-kubeconfig"
    config.write_text(f"apiVersion: v1\nkind: Config\nclusters:\n- name: dead\n  cluster: {{server: "
                      f"'http://127.0.0.1:{free_port()}'}}\nusers:\n- name: dead\n  user: {{}}\ncontexts:\n"
                      "- name: dead\n  context: {cluster: dead, user: dead}\ncurrent-context: dead\n")
    start = time.monotonic()
    result = cluster.fk("__complete", "get", "pods", "", env={"KUBECONFIG": str(config)})
    assert (result.code, result.out, result.err) == (0, ":4\n", "")
    assert parse(cluster.fk("__complete", "get", "", env={"KUBECONFIG": str(config)})) == ([], 4)
    assert time.monotonic() - start < 5


def test_subprocess_against_the_server(cluster: Cluster) -> None:
    assert parse(cluster.fk_proc("__complete", "get", "pods", "")) == (["db-0", "web-0", "web-1"], 4)
    assert parse(cluster.fk_proc("__completeNoDesc", "get", "po")) == (["pods"], 4)


def test_completion_is_not_loaded_on_the_get_path(cluster: Cluster) -> None:
    probe = ("import json, sys\nfrom fkubectl.cli import main\nmain(sys.argv[1:])\n"
             "print(json.dumps(sorted(m for m in sys.modules if 'complet' in m)), file=sys.stderr)\n")
    proc = subprocess.run([sys.executable, "-c", probe, "get", "pods"], capture_output=True, text=True,
                          env={**cluster.env, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)})
    assert json.loads(proc.stderr.strip().splitlines()[-1]) == []


# -- the command and its scripts -------------------------------------------------------------------------
def test_help_and_errors(cluster: Cluster) -> None:
    root = cluster.fk("--help").out
    settings = root.split("Settings Commands:\n")[1].split("\n\n")[0].splitlines()
    assert [line.split()[0] for line in settings] == ["label", "annotate", "completion"]
    assert "Usage:\n  fkubectl completion SHELL [options]" in cluster.fk("completion", "--help").out
    hint = "See 'fkubectl completion -h' for help and examples\n"
    assert cluster.fk("completion").err == "error: Shell not specified.\n" + hint
    assert cluster.fk("completion", "tcsh").err == 'error: Unsupported shell type "tcsh".\n' + hint
    assert cluster.fk("completion", "bash", "zsh").err == ("error: Too many arguments. Expected only the shell "
                                                           "type.\n" + hint)
    assert cluster.fk("completion", "tcsh").code == 1


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_scripts_are_valid(cluster: Cluster, shell: str) -> None:
    result = cluster.fk("completion", shell)
    assert result.code == 0 and "__complete" in result.out
    binary = shutil.which(shell)
    if binary is None:
        pytest.skip(f"{shell} is not installed")
    proc = subprocess.run([binary, "-n"], input=result.out, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr


BASH_DRIVER = """source "$SCRIPT"
reply() {
    COMP_WORDS=("$@")
    COMP_CWORD=$(( $# - 1 ))
    COMPREPLY=()
    __fkubectl_complete
    (( ${#COMPREPLY[@]} )) && printf '%s\\n' "${COMPREPLY[@]}"
    echo --
}
"""


def bash_complete(cluster: Cluster, *lines: list[str], env: dict[str, str] | None = None,
                  cwd: Path | None = None) -> list[list[str]]:
    """Source the script in a non-interactive bash, call the completion function once per word list (as
    bash splits it: `--namespace=x` is three words) and return each COMPREPLY."""
    if shutil.which("bash") is None:
        pytest.skip("bash is not installed")
    script = cluster.home / "fkubectl.bash"
    script.write_text(cluster.fk("completion", "bash").out)
    calls = "".join("reply " + " ".join(_quote(w) for w in words) + "\n" for words in lines)
    proc = subprocess.run(["bash", "--norc", "--noprofile", "-c", BASH_DRIVER + calls], capture_output=True,
                          text=True, cwd=cwd, timeout=60, env={**cluster.env, "SCRIPT": str(script), **(env or {})})
    assert proc.returncode == 0, proc.stderr
    replies = proc.stdout.split("--\n")[:-1]
    return [reply.splitlines() for reply in replies]


def _quote(word: str) -> str:
    return "'" + word.replace("'", "'\\''") + "'"


def test_bash_function_completes_types_names_and_flags(cluster: Cluster, extra_kubeconfig: dict[str, str],
                                                       tmp_path: Path) -> None:
    replies = bash_complete(
        cluster,
        [FKUBECTL, "get", "po"],
        [FKUBECTL, "get", "pods", ""],
        [FKUBECTL, "get", "pods", "-n", "j"],
        [FKUBECTL, "get", "pods", "--namespace", "=", "j"],  # COMP_WORDBREAKS split `--namespace=j`
        [FKUBECTL, "get", "pods", "--namespace", "="],
        [FKUBECTL, "rollout", "st"],
        [FKUBECTL, "get", "-ojsonpath-"],
        ["fkubectl", "get", "pods", "w"],  # found on PATH
        env={"PATH": f"{Path(FKUBECTL).parent}{os.pathsep}{cluster.env['PATH']}"},
    )
    assert replies[0] == ["pods"]
    assert replies[1] == ["db-0", "web-0", "web-1"]
    assert replies[2] == ["jobs"]
    assert replies[3] == ["jobs"]
    assert "jobs" in replies[4] and "default" in replies[4]
    assert replies[5] == ["status"]
    assert replies[6] == ["-ojsonpath-as-json", "-ojsonpath-file"]
    assert replies[7] == ["web-0", "web-1"]

    # `arn:aws:...` arrives split on `:`; the reply must only replace what follows the last colon
    contexts = bash_complete(cluster, [FKUBECTL, "--context", "arn", ":", "aws", ":", "eks", ":", "eu-west-1", ":",
                                       "1", ":", "cluster/s"], env=extra_kubeconfig)
    assert contexts == [["cluster/stage"]]

    (tmp_path / "deploy.yaml").write_text("")
    (tmp_path / "notes.txt").write_text("")
    (tmp_path / "manifests").mkdir()
    files = bash_complete(cluster, [FKUBECTL, "apply", "-f", ""], [FKUBECTL, "create", "namespace", ""],
                          [FKUBECTL, "get", "pods", "-n", "zz"], cwd=tmp_path)
    assert sorted(files[0]) == ["deploy.yaml", "manifests"]  # -f: json/yaml files and directories
    assert sorted(files[1]) == ["deploy.yaml", "manifests", "notes.txt"]  # no completion: plain files
    assert files[2] == []  # no namespace matches, and no fallback to files


def test_fish_completes_through_the_engine(cluster: Cluster) -> None:
    fish = shutil.which("fish")
    if fish is None:
        pytest.skip("fish is not installed")
    script = cluster.home / "fkubectl.fish"
    script.write_text(cluster.fk("completion", "fish").out)
    env = {**cluster.env, "PATH": f"{Path(FKUBECTL).parent}{os.pathsep}{cluster.env['PATH']}"}
    command = (f"source {script}; complete -C 'fkubectl get po'; echo ==; complete -C 'fkubectl get pods '; "
               "echo ==; complete -C 'fkubectl get pods --namespace=j'")
    proc = subprocess.run([fish, "--no-config", "-c", command], capture_output=True, text=True, env=env, timeout=60)
    assert proc.returncode == 0, proc.stderr
    types, pods, namespaces = (part.split() for part in proc.stdout.split("==\n"))
    assert types == ["pods"]
    assert pods == ["db-0", "web-0", "web-1"]
    assert namespaces == ["--namespace=jobs"]
