"""images: which images exist, their references as containerd reports them, and what they listen on."""

from __future__ import annotations

import re

import pytest

from fakeapi.cluster import images


@pytest.mark.parametrize("image,repo", [
    ("nginx", "nginx"), ("nginx:1.14", "nginx"), ("docker.io/library/nginx:latest", "nginx"),
    ("registry:5000/team/nginx:1.14@sha256:" + "a" * 64, "nginx"),
    ("192.168.80.30/kgc-project/tomcat:v1", "tomcat"), ("registry.k8s.io/busybox", "busybox"),
    ("prom/node-exporter:v1.3.1", "node-exporter"),
])
def test_repository_is_the_last_path_segment_without_tag_or_digest(image: str, repo: str) -> None:
    assert images.repository(image) == repo


@pytest.mark.parametrize("image,ref", [
    ("nginx", "docker.io/library/nginx:latest"),
    ("nginx:1.14", "docker.io/library/nginx:1.14"),
    ("bitnami/redis", "docker.io/bitnami/redis:latest"),
    ("registry.k8s.io/busybox", "registry.k8s.io/busybox:latest"),
    ("localhost/app", "localhost/app:latest"),
    ("registry:5000/team/nginx", "registry:5000/team/nginx:latest"),
    ("192.168.80.30/kgc-project/tomcat:v1", "192.168.80.30/kgc-project/tomcat:v1"),
    ("nginx@sha256:" + "b" * 64, "docker.io/library/nginx@sha256:" + "b" * 64),
])
def test_qualified_reference_like_containerd(image: str, ref: str) -> None:
    assert images.qualified(image) == ref


def test_image_id_is_repo_at_sha256_and_deterministic() -> None:
    iid = images.image_id("nginx")
    assert re.fullmatch(r"docker\.io/library/nginx@sha256:[0-9a-f]{64}", iid)
    assert iid == images.image_id("nginx")
    assert images.image_id("nginx:1.14") != iid
    assert images.image_id("nginx:1.14").startswith("docker.io/library/nginx@sha256:")


@pytest.mark.parametrize("image", ["nginx", "nginx:1.14", "busybox:1.28", "registry.k8s.io/busybox",
                                   "192.168.80.30/kgc-project/tomcat:v1", "localhost:5000/a/b-c_d.e:v1.2-rc",
                                   "nginx@sha256:" + "c" * 64])
def test_valid_references(image: str) -> None:
    assert images.valid_reference(image)


@pytest.mark.parametrize("image", ["", "NGINX:Latest", "nginx:", "nginx::1", " nginx", "nginx@sha256:xyz",
                                   "-nginx", "nginx/"])
def test_invalid_references(image: str) -> None:
    assert not images.valid_reference(image)


@pytest.mark.parametrize("image", ["nginx:doesnotexist", "example.com/no-such-image:1", "nonexistent/app",
                                   "foo/idontexist", "busybox:does-not-exist"])
def test_images_whose_name_says_they_do_not_exist(image: str) -> None:
    assert not images.exists(image)


@pytest.mark.parametrize("image", ["nginx", "busybox:1.28", "192.168.80.30/kgc-project/tomcat:v1", "my/app:1"])
def test_everything_else_pulls(image: str) -> None:
    assert images.exists(image)


def test_nginx_facts() -> None:
    f = images.facts("nginx:1.20.2")
    assert f.ports == (80,)
    assert "/index.html" in f.paths and "/" in f.paths
    assert f.server and f.access_log and f.stops_quickly
    assert any("start worker processes" in line for line in f.start_lines)


def test_shell_images_are_not_servers_and_ignore_sigterm() -> None:
    for image in ("busybox", "busybox:1.28", "alpine:3.20", "registry.k8s.io/busybox"):
        f = images.facts(image)
        assert not f.server and not f.stops_quickly and f.ports == ()
        assert "cat" in f.commands and "nslookup" in f.commands


def test_well_known_ports() -> None:
    assert images.facts("redis").ports == (6379,)
    assert images.facts("tomcat:7.0.94-alpine").ports == (8080,)
    assert images.facts("mysql:8").ports == (3306, 33060)
    assert images.facts("prom/node-exporter:v1.3.1").ports == (9100,)


def test_unknown_images_are_servers_on_their_declared_ports() -> None:
    f = images.facts("example.com/team/app:1.0")
    assert f is images.DEFAULT
    assert f.server and f.ports == () and f.paths == ()


def test_pull_seconds_are_deterministic_between_one_and_four() -> None:
    for image in ("nginx", "nginx:1.14", "busybox:1.28", "redis", "a/b:c"):
        s = images.pull_seconds(image)
        assert 1.0 <= s < 4.0
        assert s == images.pull_seconds(image)


def test_image_size_is_deterministic_and_plausible() -> None:
    assert images.image_size("nginx") == images.image_size("nginx")
    assert images.image_size("nginx") >= 5_000_000
