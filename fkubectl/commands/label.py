"""`fkubectl label`: update the labels on resources (see `metadata_edit`)."""

from __future__ import annotations

from fkubectl.commands import metadata_edit

TYPE_CHECKING = False
if TYPE_CHECKING:
    from fkubectl.factory import Factory
    from fkubectl.flags import Values

NAME = "label"
SHORT = "Update the labels on a resource"
USAGE = ("label [--overwrite] (-f FILENAME | TYPE NAME) KEY_1=VAL_1 ... KEY_N=VAL_N [--resource-version=version] "
         "[options]")
LONG = """Update the labels on a resource.

  *  A label key and value must begin with a letter or number, and may contain letters, numbers, hyphens, dots, and underscores, up to 63 characters each.
  *  Optionally, the key can begin with a DNS subdomain prefix and a single '/', like example.com/my-app.
  *  If --overwrite is true, then existing labels can be overwritten, otherwise attempting to overwrite a label will result in an error.
  *  If --resource-version is specified, then updates will use this resource version, otherwise the existing resource-version will be used."""
EXAMPLES = """  # Update pod 'foo' with the label 'unhealthy' and the value 'true'
  {prog} label pods foo unhealthy=true

  # Update pod 'foo' with the label 'status' and the value 'unhealthy', overwriting any existing value
  {prog} label --overwrite pods foo status=unhealthy

  # Update pod 'foo' by removing a label named 'bar' if it exists
  {prog} label pods foo bar-"""
FLAGS = metadata_edit.flags("label")


def run(f: Factory, args: list[str], v: Values) -> int:
    return metadata_edit.run(f, args, v, noun="label", field="labels", verbs=("labeled", "unlabeled", "not labeled"))
