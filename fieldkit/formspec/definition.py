"""Form definitions: read forms/*.toml, check them, and give their canonical form and hash.

A definition is plain data (the parsed TOML). Checking happens once at start; an error names
the file and the field, so whoever edits a form knows where to look.
"""

import hashlib
import json
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import UserFacingError
from .labels import text_in
from .types import ALIASES, TYPES

CONSTRAINTS = ("required", "min", "max", "pattern", "at_most")
NAME = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
FORM_ID = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
VERSION = re.compile(r"^[0-9A-Za-z][0-9A-Za-z._-]{0,19}$")
FIELD_KEYS = {
    "name",
    "type",
    "label",
    "hint",
    "required",
    "min",
    "max",
    "pattern",
    "step",
    "choices",
    "messages",
    "show_if",
    "placeholder",
    "inputmode",
    "at_most",
}
FORM_KEYS = {"id", "version", "title", "description", "channel", "order", "fields"}


class FormDefinitionError(UserFacingError, ValueError):
    """A definition that cannot be used; the message names the file and the field."""


@dataclass(frozen=True)
class FormDefinition:
    """One checked definition: the parsed data, where it came from, and its hash."""

    id: str
    version: str
    data: dict
    path: str
    sha256: str = field(compare=False)

    @property
    def fields(self):
        return self.data["fields"]

    def field(self, name):
        return next((f for f in self.fields if f["name"] == name), None)


def canonical_json(value):
    """JSON that is byte-for-byte the same for the same data: sorted keys, no spaces, UTF-8."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def sha256_of(value):
    return hashlib.sha256(canonical_json(value).encode("utf-8")).hexdigest()


def version_text(version):
    """A version as stored: 1 and "1" are the same version."""
    return str(version)


def message(field_def, constraint, lang="vi"):
    """The message shown when `constraint` of a field fails."""
    return text_in(field_def.get("messages", {}).get(constraint), lang)


def load_file(path, shared_lists):
    """Read and check one definition file; raise FormDefinitionError naming the file and field."""
    path = Path(path)
    try:
        with open(path, "rb") as f:
            data = tomllib.load(f)
    except tomllib.TOMLDecodeError as error:
        raise FormDefinitionError(f"{path.name}: không đọc được TOML / invalid TOML: {error}") from None
    normalised = check(data, shared_lists, path.name)
    return FormDefinition(
        id=normalised["id"],
        version=version_text(normalised["version"]),
        data=normalised,
        path=str(path),
        sha256=sha256_of(normalised),
    )


def load_dir(directory, shared_lists):
    """Every definition in a folder, as {form_id: {version: FormDefinition}}."""
    forms = {}
    for path in sorted(Path(directory).glob("*.toml")):
        definition = load_file(path, shared_lists)
        versions = forms.setdefault(definition.id, {})
        if definition.version in versions:
            other = Path(versions[definition.version].path).name
            raise FormDefinitionError(
                f"{path.name}: biểu mẫu {definition.id} phiên bản {definition.version} đã có trong {other}"
                f" / form {definition.id} version {definition.version} is already defined in {other}"
            )
        versions[definition.version] = definition
    return forms


def check(data, shared_lists, where="form"):
    """Check a parsed definition and return it with types normalised; raise on the first fault."""

    def fail(what, field_name=None):
        place = f"{where}, trường '{field_name}' / field '{field_name}'" if field_name else where
        raise FormDefinitionError(f"{place}: {what}")

    if not isinstance(data, dict):
        fail("định nghĩa phải là một bảng / a definition must be a table")
    unknown = set(data) - FORM_KEYS
    if unknown:
        fail(f"khóa không biết / unknown keys: {', '.join(sorted(unknown))}")
    form_id = data.get("id")
    if not isinstance(form_id, str) or not FORM_ID.match(form_id):
        fail("'id' phải là chữ thường, số, gạch dưới / 'id' must be lower-case letters, digits, _")
    version = data.get("version")
    if isinstance(version, bool) or not isinstance(version, (int, str)) or not VERSION.match(str(version)):
        fail(
            "'version' phải là số nguyên hoặc chuỗi như \"2026.1\" / 'version' must be an integer or a "
            'string like "2026.1"'
        )
    _check_label(data.get("title"), fail, "title")
    fields = data.get("fields")
    if not isinstance(fields, list) or not fields:
        fail("cần ít nhất một trường [[fields]] / at least one [[fields]] is needed")
    names = []
    out_fields = [_check_field(f, shared_lists, fail, names) for f in fields]
    for f in out_fields:
        if "at_most" in f:
            # A count that is part of another, e.g. women among attendees: at most that field's value.
            other = next((g for g in out_fields if g["name"] == f["at_most"]), None)
            if not TYPES[f["type"]].number or other is None or not TYPES[other["type"]].number:
                fail(
                    f"'at_most' cần tên một trường số / 'at_most' must name a number field: {f['at_most']!r}", f["name"]
                )
            if names.index(other["name"]) >= names.index(f["name"]):
                fail(
                    "'at_most' chỉ được dựa vào một trường đứng trước / 'at_most' must name an earlier "
                    f"field: {other['name']}",
                    f["name"],
                )
    for f in out_fields:
        condition = f.get("show_if")
        if condition:
            source = next((g for g in out_fields if g["name"] == condition["field"]), None)
            if source is None or names.index(source["name"]) >= names.index(f["name"]):
                fail(
                    "show_if chỉ được dựa vào một trường đứng trước / show_if must name an earlier field: "
                    f"{condition['field']}",
                    f["name"],
                )
            if not TYPES[source["type"]].condition:
                fail(
                    "show_if chỉ dùng với trường lựa chọn hoặc có/không / show_if needs a choice or yes_no field",
                    f["name"],
                )
            allowed = (
                {True, False}
                if source["type"] == "yes_no"
                else {c["value"] for c in source["choices"] if isinstance(c, dict)}
            )
            for value in condition["equals"]:
                if source["type"] != "yes_no" and not _is_shared_ref(source) and value not in allowed:
                    fail(
                        f"show_if: '{value}' không có trong lựa chọn của {source['name']} / not a choice of "
                        f"{source['name']}",
                        f["name"],
                    )
                if source["type"] == "yes_no" and not isinstance(value, bool):
                    fail(
                        "show_if với trường có/không cần true hoặc false / yes_no conditions need true or false",
                        f["name"],
                    )
    result = {**data, "fields": out_fields}
    if "channel" in result and result["channel"] not in {v for v, _ in shared_lists.get("channels", ())}:
        fail(f"'channel' không có trong danh sách kênh / 'channel' is not a known channel: {result['channel']}")
    return result


def _is_shared_ref(field_def):
    return any(isinstance(c, str) for c in field_def.get("choices", []))


def _check_label(label, fail, what, field_name=None):
    if isinstance(label, str) and label.strip():
        return
    if (
        isinstance(label, dict)
        and isinstance(label.get("vi"), str)
        and label["vi"].strip()
        and all(isinstance(v, str) for v in label.values())
    ):
        return
    fail(f"'{what}' cần có tiếng Việt (vi) / '{what}' needs a Vietnamese (vi) text", field_name)


def _check_field(f, shared_lists, fail, names):
    if not isinstance(f, dict):
        fail("mỗi [[fields]] phải là một bảng / each [[fields]] must be a table")
    name = f.get("name")
    if not isinstance(name, str) or not NAME.match(name):
        fail(f"tên trường không hợp lệ / invalid field name: {name!r}")
    if name in names:
        fail("tên trường bị trùng / duplicate field name", name)
    names.append(name)
    unknown = set(f) - FIELD_KEYS
    if unknown:
        fail(f"khóa không biết / unknown keys: {', '.join(sorted(unknown))}", name)
    out = dict(f)
    kind = ALIASES.get(f.get("type"), f.get("type"))
    if kind not in TYPES:
        fail(f"kiểu không biết / unknown type: {f.get('type')!r} (dùng / use: {', '.join(TYPES)})", name)
    out["type"] = kind
    _check_label(f.get("label"), fail, "label", name)
    if "hint" in f:
        _check_label(f["hint"], fail, "hint", name)
    out["required"] = f.get("required", False)
    if not isinstance(out["required"], bool):
        fail("'required' phải là true hoặc false / 'required' must be true or false", name)
    messages = f.get("messages", {})
    if not isinstance(messages, dict):
        fail("'messages' phải là một bảng / 'messages' must be a table", name)
    for constraint in CONSTRAINTS:
        present = out["required"] if constraint == "required" else constraint in f
        if present:
            _check_label(messages.get(constraint), fail, f"messages.{constraint}", name)
    TYPES[kind].check_definition(f, lambda what: fail(what, name))
    if "min" in f and "max" in f and f["min"] > f["max"]:
        fail("'min' lớn hơn 'max' / 'min' is above 'max'", name)
    if TYPES[kind].choices:
        out["choices"] = _check_choices(f.get("choices"), shared_lists, fail, name)
    if "show_if" in f:
        condition = f["show_if"]
        if not isinstance(condition, dict) or set(condition) != {"field", "equals"}:
            fail('show_if cần dạng { field = "…", equals = … } / show_if needs { field = "…", equals = … }', name)
        equals = condition["equals"] if isinstance(condition["equals"], list) else [condition["equals"]]
        if not equals:
            fail("show_if.equals không được rỗng / show_if.equals must not be empty", name)
        out["show_if"] = {"field": condition["field"], "equals": equals}
    return out


def _check_choices(choices, shared_lists, fail, name):
    """Choices are a shared list's name, or a list of names and {value, label} tables."""
    if isinstance(choices, str):
        choices = [choices]
    if not isinstance(choices, list) or not choices:
        fail("cần 'choices' / 'choices' is needed", name)
    seen, out = set(), []
    for choice in choices:
        if isinstance(choice, str):
            if choice not in shared_lists:
                fail(
                    f"không có danh sách dùng chung '{choice}' / no shared list '{choice}' (có / known: "
                    f"{', '.join(sorted(shared_lists))})",
                    name,
                )
            values = [v for v, _ in shared_lists[choice]]
        elif isinstance(choice, dict) and isinstance(choice.get("value"), str) and choice["value"]:
            _check_label(choice.get("label"), fail, f"choices.{choice['value']}.label", name)
            values = [choice["value"]]
        else:
            fail("mỗi lựa chọn cần 'value' và 'label' / each choice needs 'value' and 'label'", name)
        for value in values:
            if value in seen:
                fail(f"lựa chọn bị trùng / duplicate choice: {value}", name)
            seen.add(value)
        out.append(choice)
    return out
