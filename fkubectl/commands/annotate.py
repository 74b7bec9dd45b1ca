"""`fkubectl annotate`: update the annotations on resources (see `metadata_edit`)."""

from __future__ import annotations

from fkubectl.commands import metadata_edit

TYPE_CHECKING = False
if TYPE_CHECKING:
    from fkubectl.factory import Factory
    from fkubectl.flags import Values

NAME = "annotate"
SHORT = "Update the annotations on a resource"
USAGE = ("annotate [--overwrite] (-f FILENAME | TYPE NAME) KEY_1=VAL_1 ... KEY_N=VAL_N [--resource-version=version] "
         "[options]")
LONG = """Update the annotations on one or more resources.

 All Kubernetes objects support the ability to store additional data with the object as annotations.
Annotations are key/value pairs that can be larger than labels and include arbitrary string values such as
structured JSON. Tools and system extensions may use annotations to store their own data.

 Attempting to set an annotation that already exists will fail unless --overwrite is set. If
--resource-version is specified and does not match the current resource version on the server the command
will fail."""
EXAMPLES = """  # Update pod 'foo' with the annotation 'description' and the value 'my frontend'
  {prog} annotate pods foo description='my frontend'

  # Update pod 'foo' by removing an annotation named 'description' if it exists
  {prog} annotate pods foo description-"""
FLAGS = metadata_edit.flags("annotation")


def run(f: Factory, args: list[str], v: Values) -> int:
    return metadata_edit.run(f, args, v, noun="annotation", field="annotations",
                             verbs=("annotated", "annotated", "annotated"))
