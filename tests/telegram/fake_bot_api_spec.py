"""The Bot API's method list (api.min.json) as the fake server checks calls against it.

Decodes parameters the way Telegram reads them (form fields hold JSON for anything but a
plain string) and reports unknown methods, missing required parameters, unknown parameter
names and unknown fields inside JSON objects (e.g. a misspelt key of an inline button).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

__all__ = ["SPEC_PATH", "ApiSpec", "SpecProblem", "load_spec"]

# Vendored with its source and version in spec/SOURCE.md: a fresh clone tests on its own.
SPEC_PATH = Path(__file__).resolve().parent / "spec" / "api.min.json"
_SCALARS = {"String", "Integer", "Float", "Boolean", "True", "InputFile"}


@dataclass(frozen=True)
class SpecProblem:
    """A call the real Bot API would refuse: HTTP status and Telegram's description."""

    status: int
    description: str


class ApiSpec:
    def __init__(self, data: dict[str, Any]) -> None:
        self.version: str = data["version"]
        self._methods: dict[str, dict[str, Any]] = {
            name.lower(): method for name, method in data["methods"].items()
        }
        self._types: dict[str, dict[str, Any]] = data["types"]

    def method_name(self, name: str) -> str | None:
        """The canonical name of a method (Telegram matches names case-insensitively)."""
        method = self._methods.get(name.lower())
        return None if method is None else str(method["name"])

    def decode(self, method: str, raw: dict[str, str]) -> dict[str, Any]:
        """Form fields → values: JSON-decoded unless the parameter is a plain string."""
        fields = self._fields(method)
        decoded: dict[str, Any] = {}
        for name, value in raw.items():
            types = fields.get(name, ["String", "Integer"])
            if types == ["String"]:
                decoded[name] = value
                continue
            try:
                decoded[name] = json.loads(value)
            except ValueError:
                decoded[name] = value
        return decoded

    def check(self, method: str, params: dict[str, Any]) -> SpecProblem | None:
        """The first reason the real server would refuse this call, or None."""
        canonical = self.method_name(method)
        if canonical is None:
            return SpecProblem(404, "Not Found: method not found")
        fields = self._fields(canonical)
        for field in self._methods[canonical.lower()].get("fields", []):
            if field["required"] and params.get(field["name"]) in (None, ""):
                return SpecProblem(400, f'Bad Request: parameter "{field["name"]}" is required')
        for name, value in params.items():
            if name not in fields:
                return SpecProblem(400, f'Bad Request: unknown parameter "{name}"')
            problem = self._check_value(fields[name], value, name)
            if problem:
                return SpecProblem(400, f"Bad Request: {problem}")
        return None

    def parameter_names(self, method: str) -> set[str]:
        return set(self._fields(method))

    def required_fields(self, type_name: str) -> dict[str, list[str]]:
        """Required fields of an object type and their types, e.g. to build a ChatMember."""
        fields = self._types[type_name].get("fields", [])
        return {field["name"]: field["types"] for field in fields if field["required"]}

    def field_names(self, type_name: str) -> set[str]:
        """Every field of an object type (e.g. the update types an Update may carry)."""
        return {field["name"] for field in self._types[type_name].get("fields", [])}

    def _fields(self, method: str) -> dict[str, list[str]]:
        spec = self._methods.get(method.lower(), {})
        return {field["name"]: field["types"] for field in spec.get("fields", [])}

    def _check_value(self, types: list[str], value: Any, where: str) -> str | None:
        """None when `value` fits one of `types`; object fields are checked by name."""
        problems = [self._check_one(kind, value, where) for kind in types]
        return None if None in problems else problems[0]

    def _check_one(self, kind: str, value: Any, where: str) -> str | None:
        if kind.startswith("Array of "):
            if not isinstance(value, list):
                return f"{where}: expected an array"
            inner = kind.removeprefix("Array of ")
            for index, item in enumerate(value):
                problem = self._check_one(inner, item, f"{where}[{index}]")
                if problem:
                    return problem
            return None
        if kind in _SCALARS or kind not in self._types:
            return None  # scalars arrive as strings in form data; Telegram coerces them
        spec = self._types[kind]
        if "subtypes" in spec:
            return self._check_value(spec["subtypes"], value, where)
        if not isinstance(value, dict):
            return f"{where}: expected a {kind} object"
        fields = {field["name"]: field for field in spec.get("fields", [])}
        for name in value:
            if name not in fields:
                return f'{where}: unknown field "{name}" of {kind}'
        for name, field in fields.items():
            if field["required"] and name not in value:
                return f'{where}: field "{name}" of {kind} is required'
            if name in value:
                problem = self._check_value(field["types"], value[name], f"{where}.{name}")
                if problem:
                    return problem
        return None


@cache
def load_spec(path: Path = SPEC_PATH) -> ApiSpec:
    return ApiSpec(json.loads(path.read_text(encoding="utf-8")))
