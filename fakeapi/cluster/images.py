"""What the simulated registry and images are: which images exist, what they listen on and serve, and
what they print when they start. Deterministic, so tests and learners see the same thing every time.

An image "cannot exist" when its reference is invalid or its name says so (`doesnotexist`, `nonexistent`,
`no-such-image`, ...); everything else pulls. Well-known images get their real ports, HTTP paths and
start-up lines; other images are treated as long-running servers on their declared ports.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

_REFERENCE = re.compile(r"^(?:[a-z0-9.-]+(?::[0-9]+)?/)?[a-z0-9]+(?:[._-][a-z0-9]+)*(?:/[a-z0-9]+(?:[._-][a-z0-9]+)*)*"
                        r"(?::[\w][\w.-]{0,127})?(?:@sha256:[a-f0-9]{64})?$")
MISSING_MARKERS = ("doesnotexist", "does-not-exist", "nonexist", "notexist", "no-such", "idontexist", "missing-image")

NGINX_START = [
    "/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform configuration",
    "/docker-entrypoint.sh: Looking for shell scripts in /docker-entrypoint.d/",
    "/docker-entrypoint.sh: Launching /docker-entrypoint.d/10-listen-on-ipv6-by-default.sh",
    "10-listen-on-ipv6-by-default.sh: info: Getting the checksum of /etc/nginx/conf.d/default.conf",
    "10-listen-on-ipv6-by-default.sh: info: Enabled listen on IPv6 in /etc/nginx/conf.d/default.conf",
    "/docker-entrypoint.sh: Launching /docker-entrypoint.d/20-envsubst-on-templates.sh",
    "/docker-entrypoint.sh: Launching /docker-entrypoint.d/30-tune-worker-processes.sh",
    "/docker-entrypoint.sh: Configuration complete; ready for start up",
    "{ts} [notice] 1#1: using the \"epoll\" event method",
    "{ts} [notice] 1#1: nginx/{version}",
    "{ts} [notice] 1#1: start worker processes",
]
REDIS_START = [
    "1:C {rts} * oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo",
    "1:C {rts} * Redis version=7.4.1, bits=64, commit=00000000, modified=0, pid=1, just started",
    "1:M {rts} * Running mode=standalone, port=6379.",
    "1:M {rts} * Server initialized",
    "1:M {rts} * Ready to accept connections tcp",
]
TOMCAT_START = [
    "NOTE: Picked up JDK_JAVA_OPTIONS:  --add-opens=java.base/java.lang=ALL-UNNAMED",
    "INFO [main] org.apache.catalina.startup.VersionLoggerListener.log Server version name:   Apache Tomcat",
    "INFO [main] org.apache.coyote.AbstractProtocol.init Initializing ProtocolHandler [\"http-nio-8080\"]",
    "INFO [main] org.apache.catalina.core.StandardService.startInternal Starting service [Catalina]",
    "INFO [main] org.apache.coyote.AbstractProtocol.start Starting ProtocolHandler [\"http-nio-8080\"]",
    "INFO [main] org.apache.catalina.startup.Catalina.start Server startup in [812] milliseconds",
]
HTTPD_START = [
    "AH00558: httpd: Could not reliably determine the server's fully qualified domain name, using {ip}. "
    "Set the 'ServerName' directive globally to suppress this message",
    "[mpm_event:notice] [pid 1:tid 1] AH00489: Apache/2.4.62 (Unix) configured -- resuming normal operations",
]


@dataclass(frozen=True)
class ImageFacts:
    ports: tuple[int, ...] = ()
    paths: tuple[str, ...] = ()
    start_lines: tuple[str, ...] = ()
    server: bool = True  # runs until stopped when started without a command
    access_log: bool = False
    stops_quickly: bool = True  # honours SIGTERM (shells running `sleep` do not)
    commands: tuple[str, ...] = field(default=())  # executables an exec probe may run successfully
    files: tuple[str, ...] = ()  # files the image ships, beyond BASE_FILES
    busybox: bool = False  # busybox's coreutils (their error wording), rather than GNU's


#: what any Linux image's filesystem has
BASE_FILES = ("/", "/bin/sh", "/etc/hosts", "/etc/passwd", "/etc/resolv.conf", "/tmp", "/usr", "/var", "/proc")


def ships(facts: ImageFacts, path: str) -> bool:
    """Whether `path` exists in a fresh container of the image (a file it ships or a directory above one)."""
    path = path.rstrip("/") or "/"
    for known in BASE_FILES + facts.files:
        if known == path or known.startswith(path + "/") or path == "/":
            return True
    return False


SHELL = ImageFacts(server=False, stops_quickly=False, commands=("sh", "cat", "ls", "echo", "true", "test", "nslookup",
                                                                "wget", "date", "sleep", "touch", "rm"), busybox=True)
GNU_SHELL = ImageFacts(server=False, stops_quickly=False, commands=SHELL.commands)
KNOWN: dict[str, ImageFacts] = {
    "nginx": ImageFacts((80,), ("/", "/index.html", "/50x.html"), tuple(NGINX_START), access_log=True,
                        commands=("nginx", "sh", "cat", "ls", "curl", "echo", "true", "test"),
                        files=("/usr/share/nginx/html/index.html", "/usr/share/nginx/html/50x.html",
                               "/etc/nginx/nginx.conf", "/etc/nginx/conf.d/default.conf", "/docker-entrypoint.sh")),
    "httpd": ImageFacts((80,), ("/", "/index.html"), tuple(HTTPD_START), access_log=True),
    "tomcat": ImageFacts((8080,), ("/", "/index.jsp", "/docs/"), tuple(TOMCAT_START), commands=("catalina.sh", "sh", "cat")),
    "redis": ImageFacts((6379,), (), tuple(REDIS_START), commands=("redis-cli", "redis-server", "sh", "cat")),
    "mysql": ImageFacts((3306, 33060), (), ("[System] [MY-010931] [Server] /usr/sbin/mysqld: ready for connections. "
                                           "Version: '8.4.3'  socket: '/var/run/mysqld/mysqld.sock'  port: 3306",),
                        commands=("mysqladmin", "mysql", "sh")),
    "postgres": ImageFacts((5432,), (), ("LOG:  database system is ready to accept connections",),
                           commands=("pg_isready", "psql", "sh")),
    "busybox": SHELL, "alpine": SHELL, "ubuntu": GNU_SHELL, "debian": GNU_SHELL, "centos": GNU_SHELL,
    "fedora": GNU_SHELL,
    "pause": ImageFacts(server=True, stops_quickly=True),
    "node-exporter": ImageFacts((9100,), ("/", "/metrics"), ("level=info msg=\"Listening on\" address=[::]:9100",)),
    "fluentd-elasticsearch": ImageFacts((24224,), (), ("starting fluentd-1.16.2",)),
    "etcd": ImageFacts((2379, 2380, 2381), ("/health", "/readyz", "/livez"), ("\"msg\":\"serving client traffic securely\"",)),
    "kube-apiserver": ImageFacts((6443,), ("/livez", "/readyz", "/healthz"), ("Serving securely on [::]:6443",)),
    "kube-controller-manager": ImageFacts((10257,), ("/healthz",), ("Started \"garbagecollector\"",)),
    "kube-scheduler": ImageFacts((10259,), ("/healthz", "/livez", "/readyz"), ("Serving securely on 127.0.0.1:10259",)),
    "coredns": ImageFacts((53, 8080, 8181), ("/health", "/ready"), ("CoreDNS-1.12.0",)),
}
DEFAULT = ImageFacts()


def version(image: str, default: str) -> str:
    """The version a tag names (`nginx:1.20.2-alpine` -> 1.20.2), else the image's current release."""
    tag = image.split("@", 1)[0].rsplit("/", 1)[-1].partition(":")[2]
    match = re.match(r"^v?(\d+\.\d+(?:\.\d+)?)", tag)
    return match.group(1) if match else default


def repository(image: str) -> str:
    """`registry:5000/team/nginx:1.14@sha256:..` -> `nginx` (the last path segment, no tag or digest)."""
    name = image.split("@", 1)[0]
    last = name.rsplit("/", 1)[-1]
    return last.split(":", 1)[0]


def facts(image: str) -> ImageFacts:
    return KNOWN.get(repository(image), DEFAULT)


def valid_reference(image: str) -> bool:
    return bool(image) and bool(_REFERENCE.match(image))


def exists(image: str) -> bool:
    lowered = image.lower()
    return not any(marker in lowered for marker in MISSING_MARKERS)


def qualified(image: str) -> str:
    """containerd's fully qualified reference: docker.io/library/nginx:latest."""
    name, digest = (image.split("@", 1) + [""])[:2]
    first = name.split("/", 1)[0]
    if "/" not in name:
        name = f"docker.io/library/{name}"
    elif "." not in first and ":" not in first and first != "localhost":
        name = f"docker.io/{name}"
    if digest:
        return f"{name}@{digest}"
    if ":" not in name.rsplit("/", 1)[-1]:
        name += ":latest"
    return name


def image_id(image: str) -> str:
    ref = qualified(image)
    repo = ref.split("@", 1)[0].rsplit(":", 1)[0] if "@" not in ref else ref.split("@", 1)[0]
    return f"{repo}@sha256:{hashlib.sha256(ref.encode()).hexdigest()}"


def image_size(image: str) -> int:
    return 5_000_000 + int(hashlib.sha256(image.encode()).hexdigest()[:6], 16) * 40


def pull_seconds(image: str) -> float:
    return 1.0 + (int(hashlib.sha256(image.encode()).hexdigest()[:4], 16) % 3000) / 1000.0
