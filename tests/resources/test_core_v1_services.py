from __future__ import annotations

import copy
import ipaddress
from datetime import datetime, timezone

import pytest

from fakeapi.errors import StatusError
from fakeapi.registry.store import ResourceStore
from fakeapi.resources.core_v1 import namespaces
from fakeapi.resources.core_v1.services import RESOURCE, SERVICE_CIDR, TABLE
from fakeapi.storage import MemoryStorage

NOW = datetime(2025, 1, 1, 12, 0, 0, tzinfo=timezone.utc)


def store() -> ResourceStore:
    s = ResourceStore(MemoryStorage())
    s.create(namespaces.RESOURCE, None, {"metadata": {"name": "default"}})
    return s


def svc(name: str = "web", **spec: object) -> dict:
    spec.setdefault("ports", [{"port": 80}])
    return {"apiVersion": "v1", "kind": "Service", "metadata": {"name": name, "namespace": "default"}, "spec": spec}


def invalid(obj: dict, s: ResourceStore | None = None) -> str:
    with pytest.raises(StatusError) as exc:
        (s or store()).create(RESOURCE, "default", obj)
    assert exc.value.code == 422
    return exc.value.message


def test_cluster_ip_defaults_and_allocation() -> None:
    obj = store().create(RESOURCE, "default", svc("myservice", selector={"app": "web"},
                                                  ports=[{"protocol": "TCP", "port": 80, "targetPort": 9376}])).obj
    spec = obj["spec"]
    assert ipaddress.ip_address(spec["clusterIP"]) in SERVICE_CIDR
    assert spec["clusterIPs"] == [spec["clusterIP"]]
    assert {k: v for k, v in spec.items() if k not in ("clusterIP", "clusterIPs")} == {
        "ports": [{"protocol": "TCP", "port": 80, "targetPort": 9376}], "selector": {"app": "web"},
        "type": "ClusterIP", "sessionAffinity": "None", "internalTrafficPolicy": "Cluster",
        "ipFamilies": ["IPv4"], "ipFamilyPolicy": "SingleStack"}
    assert obj["status"] == {"loadBalancer": {}}
    assert "generation" not in obj["metadata"]


def test_target_port_defaults_to_port_and_node_port_is_kept() -> None:
    spec = store().create(RESOURCE, "default", svc(type="NodePort", ports=[
        {"port": 8080, "nodePort": 31111}, {"name": "b", "port": 81}][:1])).obj["spec"]
    assert spec["ports"] == [{"port": 8080, "nodePort": 31111, "protocol": "TCP", "targetPort": 8080}]
    assert spec["externalTrafficPolicy"] == "Cluster"


def test_node_ports_are_allocated_for_node_port_and_load_balancer() -> None:
    s = store()
    spec = s.create(RESOURCE, "default", svc(type="LoadBalancer")).obj["spec"]
    assert 30000 <= spec["ports"][0]["nodePort"] <= 32767
    assert spec["allocateLoadBalancerNodePorts"] is True
    assert spec["externalTrafficPolicy"] == "Cluster"
    local = s.create(RESOURCE, "default", svc("local", type="LoadBalancer", externalTrafficPolicy="Local")).obj["spec"]
    assert 30000 <= local["healthCheckNodePort"] <= 32767


def test_headless_services() -> None:
    s = store()
    with_selector = s.create(RESOURCE, "default", svc("a", clusterIP="None", selector={"app": "a"})).obj["spec"]
    assert (with_selector["clusterIPs"], with_selector["ipFamilies"], with_selector["ipFamilyPolicy"]) == (
        ["None"], ["IPv4"], "SingleStack")
    bare = s.create(RESOURCE, "default", svc("b", clusterIP="None", ports=[])).obj["spec"]
    assert (bare["ipFamilies"], bare["ipFamilyPolicy"]) == (["IPv4", "IPv6"], "RequireDualStack")


def test_external_name_has_no_cluster_ip() -> None:
    spec = store().create(RESOURCE, "default", svc(type="ExternalName", externalName="db.example.com", ports=[])).obj["spec"]
    assert spec == {"type": "ExternalName", "externalName": "db.example.com", "ports": [], "sessionAffinity": "None"}


def test_node_port_out_of_range() -> None:
    assert invalid(svc(type="NodePort", ports=[{"port": 80, "nodePort": 39100}])) == (
        'Service "web" is invalid: spec.ports[0].nodePort: Invalid value: 39100: provided port is not in the valid '
        "range. The range of valid ports is 30000-32767")


def test_cluster_ip_out_of_range() -> None:
    assert invalid(svc(clusterIP="10.0.0.1")) == (
        'Service "web" is invalid: spec.clusterIPs: Invalid value: []string{"10.0.0.1"}: failed to allocate IP '
        "10.0.0.1: the provided IP (10.0.0.1) is not in the valid range. The range of valid IPs is 10.96.0.0/12")


def test_in_use_provider_rejects_taken_ports() -> None:
    strategy = RESOURCE.strategy
    strategy.in_use = lambda: (set(), {31000})
    try:
        assert invalid(svc(type="NodePort", ports=[{"port": 80, "nodePort": 31000}])).endswith(
            "spec.ports[0].nodePort: Invalid value: 31000: provided port is already allocated")
    finally:
        strategy.in_use = None


def test_validation_messages() -> None:
    assert invalid(svc(ports=[])) == 'Service "web" is invalid: spec.ports: Required value'
    assert invalid(svc(type="Foo")) == (
        'Service "web" is invalid: spec.type: Unsupported value: "Foo": supported values: "ClusterIP", '
        '"ExternalName", "LoadBalancer", "NodePort"')
    assert invalid(svc(type="NodePort", clusterIP="None")) == (
        'Service "web" is invalid: spec.clusterIPs[0]: Invalid value: "None": may not be set to \'None\' for '
        "NodePort services")
    assert invalid(svc(ports=[{"port": 70000, "targetPort": 80}])) == (
        'Service "web" is invalid: spec.ports[0].port: Invalid value: 70000: must be between 1 and 65535, inclusive')
    assert invalid(svc(ports=[{"port": 80, "nodePort": 30001}])) == (
        'Service "web" is invalid: spec.ports[0].nodePort: Forbidden: may not be used when `type` is \'ClusterIP\'')
    assert invalid(svc(ports=[{"name": "a", "port": 80}, {"name": "b", "port": 80}])) == (
        'Service "web" is invalid: spec.ports[1]: Duplicate value: core.ServicePort{Name:"", Protocol:"TCP", '
        'AppProtocol:(*string)(nil), Port:80, TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:""}, NodePort:0}')
    assert invalid(svc(ports=[{"port": 80}, {"port": 81}])) == (
        'Service "web" is invalid: [spec.ports[0].name: Required value, spec.ports[1].name: Required value]')


def test_names_are_dns1035_labels() -> None:
    assert invalid(svc("1web")).startswith('Service "1web" is invalid: metadata.name: Invalid value: "1web": a DNS-1035 label')


def test_updates_keep_allocations_and_refuse_cluster_ip_changes() -> None:
    s = store()
    created = s.create(RESOURCE, "default", svc(type="NodePort")).obj
    resubmitted = svc(type="NodePort")
    resubmitted["metadata"]["resourceVersion"] = created["metadata"]["resourceVersion"]
    kept = s.update(RESOURCE, "default", "web", resubmitted).obj
    assert kept["spec"]["clusterIP"] == created["spec"]["clusterIP"]
    assert kept["spec"]["ports"][0]["nodePort"] == created["spec"]["ports"][0]["nodePort"]
    changed = copy.deepcopy(kept)
    changed["spec"]["clusterIP"] = "10.96.5.5"
    with pytest.raises(StatusError) as exc:
        s.update(RESOURCE, "default", "web", changed)
    assert exc.value.message == ('Service "web" is invalid: spec.clusterIPs[0]: Invalid value: []string{"10.96.5.5"}: '
                                 "may not change once set")


def test_type_change_drops_node_ports() -> None:
    s = store()
    created = s.create(RESOURCE, "default", svc(type="NodePort")).obj
    back = copy.deepcopy(created)
    back["spec"]["type"] = "ClusterIP"
    spec = s.update(RESOURCE, "default", "web", back).obj["spec"]
    assert "nodePort" not in spec["ports"][0] and "externalTrafficPolicy" not in spec


def row(**spec: object) -> list:
    status = spec.pop("status", {"loadBalancer": {}})
    return TABLE.cells({"metadata": {"name": "s", "creationTimestamp": "2025-01-01T11:00:00Z"}, "spec": spec,
                        "status": status}, NOW)


def test_table_cells() -> None:
    assert row(type="ClusterIP", clusterIPs=["10.96.0.10"], ports=[{"port": 53, "protocol": "UDP"},
                                                                     {"port": 53, "protocol": "TCP"}],
               selector={"k8s-app": "kube-dns"}) == [
        "s", "ClusterIP", "10.96.0.10", "<none>", "53/UDP,53/TCP", "60m", "k8s-app=kube-dns"]
    assert row(type="NodePort", clusterIPs=["10.96.1.2"], ports=[{"port": 8080, "nodePort": 31111, "protocol": "TCP"}])[2:5] == [
        "10.96.1.2", "<none>", "8080:31111/TCP"]
    assert row(type="LoadBalancer", clusterIPs=["10.96.1.3"], ports=[])[3:5] == ["<pending>", "<none>"]
    assert row(type="LoadBalancer", status={"loadBalancer": {"ingress": [{"ip": "1.2.3.4"}]}},
               externalIPs=["5.6.7.8"])[3] == "1.2.3.4,5.6.7.8"
    assert row(type="ExternalName", externalName="db.example.com")[2:4] == ["<none>", "db.example.com"]
    assert row(type="ClusterIP", clusterIPs=["None"], ports=[])[2] == "None"
    assert [c.name for c in TABLE.columns] == ["Name", "Type", "Cluster-IP", "External-IP", "Port(s)", "Age", "Selector"]
    assert TABLE.columns[-1].priority == 1


def test_selectable_fields_and_discovery() -> None:
    obj = store().create(RESOURCE, "default", svc()).obj
    fields = RESOURCE.strategy.selectable_fields(obj)
    assert fields["spec.type"] == "ClusterIP" and fields["spec.clusterIP"] == obj["spec"]["clusterIP"]
    assert RESOURCE.short_names == ("svc",) and RESOURCE.categories == ("all",)
    assert set(RESOURCE.subresources) == {"status", "proxy"}
