"""`explain` rendering: a port of kubectl's explain v2 plaintext template over the server's OpenAPI v3.

Layout (kubectl pkg/explain/v2/templates/plaintext.tmpl): `GROUP:`/`KIND:`/`VERSION:` header; for a field
path a `FIELD: name <type>` line (plus `ENUM:` values); `DESCRIPTION:` with the descriptions of the
schema and of everything it refers to (`$ref`, `allOf`, `items`, `additionalProperties`), wrapped at 76
columns by go-wordwrap and indented by 4; `FIELDS:` sorted, `name<TAB><type>[ -required-]`, enums
(`enum: a, b, c, d, ....`) and wrapped descriptions, or with `--recursive` the nested field names only.
`$ref` cycles stop the walk, per path, as the template's history does.
"""

from __future__ import annotations

from fkubectl.errors import CommandError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    Schema = dict[str, Any]


class FieldNotFound(CommandError):
    """kubectl prints the header before this error, so it travels with it."""

    def __init__(self, field: str, header: str) -> None:
        super().__init__(f'field "{field}" does not exist')
        self.header = header


class Explainer:
    def __init__(self, document: dict[str, Any], *, recursive: bool = False) -> None:
        self.document = document
        self.recursive = recursive

    def resolve(self, ref: Any) -> Schema | None:
        if not isinstance(ref, str) or not ref.startswith("#"):
            return None
        cur: Any = self.document
        for part in ref[1:].split("/"):
            if not part:
                continue
            cur = cur.get(part) if isinstance(cur, dict) else None
            if not isinstance(cur, dict):
                return None
        return cur  # type: ignore[no-any-return]

    # -- template "description" ---------------------------------------------------------------------
    def description(self, schema: Schema) -> str:
        node = self.resolve(schema.get("$ref")) or schema
        out = ""
        if node.get("description"):
            out += str(node["description"]) + "\n"
        for sub in node.get("allOf") or []:
            out += self.description(sub)
        if isinstance(node.get("items"), dict):
            out += self.description(node["items"])
        if isinstance(node.get("additionalProperties"), dict):
            out += self.description(node["additionalProperties"])
        return out

    # -- template "typeGuess" -----------------------------------------------------------------------
    def type_guess(self, schema: Schema) -> str:
        if schema.get("items"):
            return "[]" + self.type_guess(schema["items"])
        if isinstance(schema.get("additionalProperties"), dict) and schema["additionalProperties"]:
            return "map[string]" + self.type_guess(schema["additionalProperties"])
        if schema.get("allOf") and not schema.get("properties") and len(schema["allOf"]) == 1:
            return self.type_guess(schema["allOf"][0])
        ref = schema.get("$ref")
        if ref:
            target = self.resolve(ref)
            if not target or not target.get("type") or target.get("type") == "object":
                return str(ref).split("/")[-1].split(".")[-1] or "Object"
            return str(target.get("type") or "Object")
        if schema.get("type") == "object":
            return "Object"
        return str(schema.get("type") or "Object")

    # -- template "extractEnum" ---------------------------------------------------------------------
    @staticmethod
    def enum(schema: Schema, *, long_view: bool, limit: int = -1, indent: int = 0) -> str:
        values = schema.get("enum")
        if not values:
            return ""
        out = "ENUM:" if long_view else "\n" + " " * indent + "enum: "
        for i, value in enumerate(values):
            if limit > -1 and i >= limit:
                out += ", ...."
                break
            if i > 0 and not long_view:
                out += ", "
            elif long_view:
                out += "\n    "
            out += '""' if value == "" else str(value)
        return out

    # -- template "fieldDetail" and "fieldList" -----------------------------------------------------
    def field_detail(self, name: str, parent: Schema, level: int, short: bool) -> str:
        indent = level * 2
        field = (parent.get("properties") or {}).get(name) or {}
        out = " " * indent + name + "\t<" + self.type_guess(field) + ">"
        if name in (parent.get("required") or []):
            out += " -required-"
        out += self.enum(field, long_view=False, limit=4, indent=indent) + "\n"
        if not short:
            out += indent_text(wrap(str(field.get("description") or "<no description>"), 78 - indent),
                               indent + 2) + "\n"
            docs = field.get("externalDocs")
            if docs:
                out += "\n" + indent_text("EXTERNAL DOCS:", indent + 2) + "\n"
                if docs.get("description"):
                    out += indent_text(wrap(str(docs["description"]), 76 - indent), indent + 4) + "\n"
                if docs.get("url"):
                    out += indent_text(f"URL: {docs['url']}", indent + 4) + "\n"
            out += "\n"
        return out

    def field_list(self, schema: Schema, level: int, history: frozenset[str]) -> str:
        ref = str(schema.get("$ref") or "")
        if ref and ref in history:
            return ""
        history = history | {ref}
        node = self.resolve(ref) or schema
        out = ""
        for name in sorted(node.get("properties") or {}):
            out += self.field_detail(name, node, level, self.recursive)
            if self.recursive:
                out += self.field_list(node["properties"][name], level + 1, history)
        for sub in node.get("allOf") or []:
            out += self.field_list(sub, level, history)
        if isinstance(node.get("items"), dict):
            out += self.field_list(node["items"], level, history)
        if isinstance(node.get("additionalProperties"), dict):
            out += self.field_list(node["additionalProperties"], level, history)
        return out

    # -- template "output" --------------------------------------------------------------------------
    def output(self, schema: Schema, path: list[str], history: frozenset[str]) -> str:
        ref = str(schema.get("$ref") or "")
        node = self.resolve(ref) or schema
        if not path:
            out = "DESCRIPTION:\n"
            out += indent_text(wrap(self.description(node) or "<empty>", 76), 4) + "\n"
            docs = node.get("externalDocs")
            if docs:
                out += "\nEXTERNAL DOCS:\n"
                if docs.get("description"):
                    out += indent_text(wrap(str(docs["description"]), 76), 4) + "\n"
                if docs.get("url"):
                    out += indent_text(f"URL: {docs['url']}", 4) + "\n"
            fields = self.field_list(node, 1, frozenset())
            if fields:
                out += "FIELDS:\n" + fields
            return out
        if ref and ref in history:
            return ""
        history = history | {ref}
        properties = node.get("properties") or {}
        if path[0] in properties:
            sub = properties[path[0]]
            out = ""
            if len(path) == 1:
                out += f"FIELD: {path[0]} <{self.type_guess(sub)}>\n" + self.enum(sub, long_view=True) + "\n\n"
            return out + self.output(sub, path[1:], frozenset())
        if isinstance(node.get("items"), dict):
            return self.output(node["items"], path, history)
        if isinstance(node.get("additionalProperties"), dict):
            return self.output(node["additionalProperties"], path, history)
        for sub in node.get("allOf") or []:
            text = self.output(sub, path, history)
            if text:
                return text
        return ""

    def explain(self, group: str, version: str, kind: str, path: list[str]) -> str:
        schemas = (self.document.get("components") or {}).get("schemas") or {}
        gvk = {"group": group, "version": version, "kind": kind}
        header = (f"GROUP:      {group}\n" if group else "") + f"KIND:       {kind}\nVERSION:    {version}\n\n"
        for schema in schemas.values():
            if gvk in (schema.get("x-kubernetes-group-version-kind") or []):
                body = self.output(schema, path, frozenset())
                if not body:
                    raise FieldNotFound(path[-1], header)
                return header + body + "\n"
        raise CommandError(f"GVK {group}/{version}, Kind={kind} not found in OpenAPI schema")


def indent_text(text: str, amount: int) -> str:
    pad = " " * amount
    return pad + text.replace("\n", "\n" + pad)


def wrap(text: str, limit: int) -> str:
    """mitchellh/go-wordwrap `WrapString`: break at white space, never inside a word."""
    out: list[str] = []
    current = 0
    word: list[str] = []
    space: list[str] = []
    for char in text:
        if char == "\n":
            out.extend(space)
            space = []
            if current + len(word) > limit and len(word) < limit:
                out.append("\n")
                current = 0
            out.extend(word)
            word = []
            out.append(char)
            current = 0
        elif char.isspace() and char != "\u00a0":
            if not space or word:
                current += len(space) + len(word)
                out.extend(space)
                out.extend(word)
                space, word = [], []
            space.append(char)
        else:
            word.append(char)
            if current + len(space) + len(word) > limit and len(word) < limit:
                out.append("\n")
                current = 0
                space = []
    if not word:
        if current + len(space) <= limit:
            out.extend(space)
    else:
        out.extend(space)
        out.extend(word)
    return "".join(out)
