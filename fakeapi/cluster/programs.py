"""What a container does, derived from its command, args and image: a small deterministic program.

Shell scripts are split into steps the simulation understands: `echo` prints, `sleep N` waits,
`until nslookup SVC; do ...; done` waits for a Service to exist, `touch`/`rm` change a per-container set
of files (so `cat /tmp/healthy` probes follow the classic liveness example), `exit N` ends with that
code, `while true` loops and daemon commands run until stopped. A container started without a command
runs its image's entrypoint: servers run forever, shells exit at once.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass
from typing import Any

from fakeapi.cluster import images

Obj = dict[str, Any]
SHELLS = ("sh", "/bin/sh", "bash", "/bin/bash", "ash", "/bin/ash")


@dataclass(frozen=True)
class Step:
    op: str  # print | sleep | wait_service | exit | touch | rm | serve | loop
    arg: str = ""
    text: str = ""
    seconds: float = 0.0
    code: int = 0


@dataclass(frozen=True)
class Program:
    steps: tuple[Step, ...]
    image: str

    @property
    def long_running(self) -> bool:
        return any(s.op in ("serve", "loop") or (s.op == "sleep" and s.seconds >= 3600) for s in self.steps)


_SLEEP = re.compile(r"^sleep\s+(\d+(?:\.\d+)?|infinity)\s*$")
_UNTIL_NSLOOKUP = re.compile(r"^until\s+nslookup\s+([\w.-]+)")
_EXIT = re.compile(r"^exit\s+(\d+)\s*$")
_FOR = re.compile(r"^for\s+(\w+)\s+in\s+(.*?)\s*;\s*do\s+(.*?)\s*;?\s*done\s*;?$", re.S)
_SEQ = re.compile(r"^(?:`seq\s+(\d+)\s+(\d+)`|\$\(seq\s+(\d+)\s+(\d+)\))$")


def _for_words(words: str) -> list[str]:
    """The items of `for x in ...`: literal words, or a `seq A B` command substitution."""
    m = _SEQ.match(words.strip())
    if m:
        lo, hi = (int(g) for g in m.groups() if g is not None)
        return [str(i) for i in range(lo, min(hi, lo + 1000) + 1)]
    try:
        return shlex.split(words)
    except ValueError:
        return words.split()


def _redirect_target(cmd: str) -> str | None:
    """The file an `echo ... > f` / `>> f` writes to, if it is redirected."""
    try:
        words = shlex.split(cmd, posix=True)
    except ValueError:
        return None
    for i, word in enumerate(words):
        if word in (">", ">>") and i + 1 < len(words):
            return words[i + 1]
        if word.startswith(">") and word.strip(">"):
            return word.lstrip(">")
    return None


def _echo_text(cmd: str) -> str:
    try:
        words = shlex.split(cmd)[1:]
    except ValueError:
        words = cmd.split()[1:]
    if words and words[0] in ("-n", "-e"):
        words = words[1:]
    text = " ".join(words)
    return text.split(">", 1)[0].rstrip() if ">" in cmd and ">>" not in text else text


def _split_script(script: str) -> list[str]:
    """Top-level statements: `;`, `&&`, `||` and newlines split, except inside loops and quotes."""
    parts, buf, depth, quote = [], [], 0, ""
    i = 0
    while i < len(script):
        ch = script[i]
        if quote:
            buf.append(ch)
            if ch == quote:
                quote = ""
        elif ch in "'\"":
            quote = ch
            buf.append(ch)
        elif ch in ";\n" or script.startswith("&&", i) or script.startswith("||", i):
            word = "".join(buf).strip()
            if re.match(r"^(until|while|for)\b", word) and depth == 0 and "done" not in word:
                depth = 1
            if depth and not re.search(r"\bdone$", word):
                buf.append(";")
            else:
                depth = 0
                if word:
                    parts.append(word)
                buf = []
            if ch in "&|":
                i += 1
        else:
            buf.append(ch)
        i += 1
    word = "".join(buf).strip()
    if word:
        parts.append(word)
    return parts


def _statement(stmt: str) -> list[Step]:
    stmt = stmt.strip()
    m = _UNTIL_NSLOOKUP.match(stmt)
    if m:
        echo = re.search(r"\becho\s+([^;]+)", stmt)
        return [Step("wait_service", m.group(1), _echo_text("echo " + echo.group(1)) if echo else "",
                     seconds=_loop_sleep(stmt))]
    if re.match(r"^while\s+(true|:)\b", stmt):
        echo = re.search(r"\becho\s+([^;]+)", stmt)
        return [Step("loop", text=_echo_text("echo " + echo.group(1)) if echo else "", seconds=_loop_sleep(stmt))]
    m = _FOR.match(stmt)
    if m:
        var, words, body = m.groups()
        steps = []
        for item in _for_words(words):
            for part in body.split(";"):
                steps += _statement(part.replace("${" + var + "}", item).replace("$" + var, item))
        return steps
    if stmt.startswith("echo ") or stmt == "echo":
        target = _redirect_target(stmt)
        if target is not None:
            return [Step("touch", target)]  # a redirected echo writes a file, not the log
        return [Step("print", text=_echo_text(stmt))]
    m = _SLEEP.match(stmt)
    if m:
        return [Step("sleep", seconds=float("inf") if m.group(1) == "infinity" else float(m.group(1)))]
    m = _EXIT.match(stmt)
    if m:
        return [Step("exit", code=int(m.group(1)))]
    words = stmt.split()
    if not words:
        return []
    if words[0] == "touch":
        return [Step("touch", w) for w in words[1:]]
    if words[0] == "rm":
        return [Step("rm", w) for w in words[1:] if not w.startswith("-")]
    if words[0] == "false":
        return [Step("exit", code=1)]
    if words[0] in ("nginx", "redis-server", "httpd", "catalina.sh", "java", "python", "node") or \
            "daemon off" in stmt or words[0].endswith("-server"):
        return [Step("serve")]
    if words[0] == "tail" and "-f" in words:
        return [Step("sleep", seconds=float("inf"))]
    return []


def _loop_sleep(stmt: str) -> float:
    m = re.search(r"\bsleep\s+(\d+(?:\.\d+)?)", stmt)
    return float(m.group(1)) if m else 1.0


def program_for(container: Obj) -> Program:
    image = str(container.get("image") or "")
    command = [str(c) for c in container.get("command") or []]
    args = [str(a) for a in container.get("args") or []]
    argv = command + args if command else args
    if not argv:
        facts = images.facts(image)
        return Program((Step("serve"),) if facts.server else (Step("exit", code=0),), image)
    if argv[0] in SHELLS and len(argv) >= 3 and argv[1] in ("-c", "-ec", "-xc"):
        steps = [step for stmt in _split_script(argv[2]) for step in _statement(stmt)]
    elif argv[0] in SHELLS and len(argv) == 1:
        steps = [Step("exit", code=0)]
    else:
        steps = _statement(" ".join(shlex.quote(a) if " " in a else a for a in argv)) or \
            ([Step("serve")] if images.facts(image).server and not command else [])
        if not steps and command:
            steps = [Step("serve")] if argv[0] not in ("echo", "true", "date", "env", "ls", "cat") else []
    return Program(tuple(steps), image)
