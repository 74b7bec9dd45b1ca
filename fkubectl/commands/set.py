"""`fkubectl set image (TYPE NAME | TYPE/NAME) CONTAINER=IMAGE ...` (kubectl set/set_image.go).

The object's pod template (or a pod's spec) gets the new images; what is sent is the two-way strategic
merge patch between the object before and after, e.g.
`{"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"nginx"}],"containers":[{"image":
"nginx:1.26","name":"nginx"}]}}}}`, with `fieldManager=kubectl-set`. `*=IMAGE` sets every container.
"""

from __future__ import annotations

import copy

from fkubectl.client import request as rq
from fkubectl.client.errors import ApiError
from fkubectl.commands import builder
from fkubectl.commands.mutate import DRY_RUN, OUTPUT, Printer
from fkubectl.errors import Aggregate, CommandError
from fkubectl.flags import BOOL, SLICE, STRING, Flag

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from fkubectl.factory import Factory
    from fkubectl.flags import Values

NAME = "set"
SHORT = "Set specific features on objects"
USAGE = "set SUBCOMMAND [options]"
LONG = """Configure application resources.

 These commands help you make changes to existing application resources."""
SUBCOMMANDS = {"image": "fkubectl.commands.set:Image"}
FLAGS: tuple[Flag, ...] = ()


def run(f: Factory, args: list[str], v: Values) -> int:
    from fkubectl.app import command_help
    from fkubectl.commands import set as me

    f.streams.err.write(command_help(me, "set"))
    return 1


def pod_spec(obj: dict[str, Any]) -> dict[str, Any]:
    """The pod spec inside a workload object (kubectl's `updatePodSpecForObject`)."""
    spec: dict[str, Any] = obj.setdefault("spec", {})
    kind = obj.get("kind")
    if kind == "Pod":
        return spec
    if kind == "CronJob":
        spec = spec.setdefault("jobTemplate", {}).setdefault("spec", {})
    template: dict[str, Any] = spec.setdefault("template", {}).setdefault("spec", {})
    return template


class Image:
    SHORT = "Update the image of a pod template"
    USAGE = "set image (-f FILENAME | TYPE NAME) CONTAINER_NAME_1=CONTAINER_IMAGE_1 ... [options]"
    FLAGS = (
        DRY_RUN, OUTPUT,
        Flag("all", BOOL, help="Select all resources, in the namespace of the specified resource types"),
        Flag("filename", SLICE, short="f", help="Filename, directory, or URL to files identifying the resource."),
        Flag("selector", STRING, short="l", help="Selector (label query) to filter on."),
        Flag("field-manager", STRING, "kubectl-set", "Name of the manager used to track field ownership."),
    )

    @staticmethod
    def run(f: Factory, args: list[str], v: Values) -> int:
        from fkubectl.commands.apply import patch_meta
        from fkubectl.patch import strategic

        resources = [a for a in args if "=" not in a]
        images = dict(a.split("=", 1) for a in args if "=" in a)
        if not images:
            raise CommandError("at least one image update is required")
        printer = Printer(f, v)
        if v["filename"]:
            from fkubectl.commands.manifests import read_targets

            targets = read_targets(f, v["filename"])
        else:
            targets = builder.resolve(f.mapper(), resources, allow_categories=False)
        client = f.client()
        errors: list[BaseException] = []
        for target in targets:
            ns = target.namespace or f.namespace
            try:
                before = client.json(rq.get_request(target.mapping, ns, target.name))
            except ApiError as exc:
                errors.append(exc)
                continue
            before.setdefault("kind", target.mapping.kind)
            after = copy.deepcopy(before)
            spec = pod_spec(after)
            containers = (spec.get("initContainers") or []) + (spec.get("containers") or [])
            for name, image in images.items():
                matched = [c for c in containers if name == "*" or c.get("name") == name]
                if not matched:
                    errors.append(CommandError(f'unable to find container named "{name}"'))
                for container in matched:
                    container["image"] = image
            meta = patch_meta(f, target.mapping)
            patch = strategic.two_way(before, after, meta) if meta is not None else None
            if patch is None:
                from fkubectl.patch import jsonmerge

                patch, kind = jsonmerge.create(before, after), "merge"
            else:
                kind = "strategic"
            if not patch:
                continue
            if printer.dry_run == "client":
                printer.done(target.mapping, after, "image updated")
                continue
            try:
                result = client.json(rq.patch_request(target.mapping, ns, target.name, patch, patch_type=kind,
                                                      field_manager=v["field-manager"],
                                                      dry_run=printer.dry_run == "server"))
            except ApiError as exc:
                errors.append(exc)
                continue
            printer.done(target.mapping, result, "image updated")
        if errors:
            raise Aggregate(errors)
        return 0
