"""The error catalogue: every `code` the service can answer, with its HTTP status and meaning, read
from the source of domain/ and services/ (docs/errors.md).

An answer's code is found where it is made: a DomainError (or a class derived from it) made with
`code=` or its class's `code`, its status from the class's `kind` and STATUS_BY_KIND; a call of a
problem constructor, anything whose first parameters are (status, code, detail) such as ApiProblem;
a DomainError whose `.code` is set after it is made. A handler that answers such an error as it
came adds no code. The meaning is the detail text, placeholders shown as `{name}`."""

from __future__ import annotations

import ast
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from services.contracts.error_flow import Flow
from services.contracts.error_names import Frame, UnresolvedCode, Value, assignments
from services.contracts.error_sites import (
    CallSite,
    ClassInfo,
    Function,
    Module,
    Source,
    argument,
    callee_name,
    own_nodes,
    scan,
)

REPO = Path(__file__).resolve().parents[2]
PACKAGES = (REPO / "domain", REPO / "services")
ROOT_ERROR = "DomainError"
STATUS_TABLE = "STATUS_BY_KIND"
PROBLEM_PARAMS = ("status", "code", "detail")
GENERAL = "general"

__all__ = ["PACKAGES", "Raised", "UnresolvedCode", "catalogue", "raised"]


@dataclass(frozen=True)
class Raised:
    """One way a code is answered: the code, its HTTP status (None: the status of the HTTP error
    it stands for) and the detail it comes with."""

    code: str
    status: int | None
    meaning: str


# Raise sites whose codes are data: the lifecycle tables' refusals and the resources' "not
# found". Their codes are read from the tables themselves (`table_codes`), not from the source.
FROM_TABLES = frozenset(
    {
        ("domain.lifecycle", "Lifecycle.check"),
        ("services.access", "Access.require"),
        ("services.application", "Liandong.load_as"),
    }
)


def raised(packages: Sequence[Path] = PACKAGES) -> list[Raised]:
    """Every code the source answers; UnresolvedCode names a code computed at run time."""
    return _Reader(scan(packages)).raised() + table_codes()


def table_codes() -> list[Raised]:
    """The codes the lifecycle tables and the resources declare."""
    from services.catalogue import KINDS

    found = []
    for resource in (r for kind in KINDS for r in kind.resources):
        lifecycle = resource.fold.lifecycle
        found.append(Raised(f"{resource.noun}.not_found", 404, f"no such {resource.noun}"))
        for act in lifecycle.acts.values():
            meaning = f"cannot {act.verb} a {lifecycle.noun} that is {{status}}"
            found.append(Raised(act.code, 409, meaning))
            if act.overtaken_code:
                found.append(Raised(act.overtaken_code, 409, meaning))
    return found


def catalogue(packages: Sequence[Path] = PACKAGES) -> str:
    """docs/errors.md as the source makes it."""
    return markdown(raised(packages))


class _Reader:
    def __init__(self, source: Source) -> None:
        self.source = source
        self.statuses = status_by_kind(source)
        self.flow = Flow(source, self.answered)
        self.domain_names = {c.name for c in source.classes if self.is_domain(c)}

    def answered(self, info: ClassInfo) -> bool:
        """The API answers it as it is: a domain error, or a problem."""
        return self.is_domain(info) or self._problem_init(info) is not None

    def is_domain(self, info: ClassInfo) -> bool:
        return any(c.name == ROOT_ERROR for c in self.source.lineage(info))

    def raised(self) -> list[Raised]:
        found = [r for site in self.source.calls for r in self._made(site)]
        return found + [r for f in self.source.functions for r in self._reassigned(f)]

    def _made(self, site: CallSite) -> list[Raised]:
        info = self.source.class_named(site.module, site.call.func)
        if info is not None and self.is_domain(info):
            return self._domain_error(site, info)
        if info is None and self._unplaced(site):
            why = f"cannot tell which {callee_name(site.call.func)} this is (a star import?)"
            raise UnresolvedCode(site.module, site.call, why)
        callee = self._problem_init(info) if info else None
        bound = callee is not None
        callee = callee or self._problem_function(site)
        if callee is None:
            return []
        status, code, detail = (argument(callee, site.call, p, bound) for p in PROBLEM_PARAMS)
        if code is None:
            raise UnresolvedCode(site.module, site.call, "a problem made with no code")

        def status_of(value: Value, frame: Frame) -> int | None:
            given = self.flow.number(status, frame) if status is not None else None
            return given if given is not None else value.status

        return self._resolve(site.module, site.function, code, detail, status_of)

    def _domain_error(self, site: CallSite, info: ClassInfo) -> list[Raised]:
        init = self.source.init_of(info)
        if init is not None and init.owner != ROOT_ERROR:
            raise UnresolvedCode(init.module, init.node, f"{info.name} makes its own code")
        code = _keyword(site.call, "code")
        if code is None and any(k.arg is None for k in site.call.keywords):
            raise UnresolvedCode(site.module, site.call, "the code is in **keywords")
        code = code or self.source.inherited(info, "code")
        if code is None:
            raise UnresolvedCode(site.module, site.call, f"{info.name} has no code")
        detail = site.call.args[0] if site.call.args else _keyword(site.call, "detail")
        status = self.status_of(info)
        return self._resolve(site.module, site.function, code, detail, lambda v, f: status)

    def _unplaced(self, site: CallSite) -> bool:
        """Named like a domain error, but defined nowhere the source says."""
        callee = site.call.func
        if callee_name(callee) not in self.domain_names:
            return False
        named = not isinstance(callee, ast.Attribute) or isinstance(callee.value, ast.Name)
        return named and not self.source.is_foreign(site.module, callee)

    def _reassigned(self, function: Function) -> list[Raised]:
        """`error = Conflict(…)`, then `error.code = …`: the code it is answered with."""
        found = []
        for node in own_nodes(function):
            if not (isinstance(node, ast.Assign) and len(node.targets) == 1):
                continue
            target = node.targets[0]
            if not (isinstance(target, ast.Attribute) and target.attr == "code"):
                continue
            if not isinstance(target.value, ast.Name):
                continue
            for made in assignments(function, target.value.id):
                found += self._reassigned_code(function, made, node.value)
        return found

    def _reassigned_code(self, function: Function, made: ast.expr, code: ast.expr) -> list[Raised]:
        info = self._domain_class(function.module, made)
        if info is None or not isinstance(made, ast.Call):
            return []
        detail = made.args[0] if made.args else None
        status = self.status_of(info)
        return self._resolve(function.module, function, code, detail, lambda v, f: status)

    def _resolve(
        self,
        module: Module,
        function: Function | None,
        code: ast.expr,
        detail: ast.expr | None,
        status_of: Callable[[Value, Frame], int | None],
    ) -> list[Raised]:
        if self._passes_through(function, code) or _from_tables(module, function):
            return []
        found = []
        try:
            for frame in self.flow.frames(module, function, [code]):
                meaning = self.flow.render(detail, frame) if detail is not None else ""
                for value in self.flow.values(code, frame):
                    found.append(Raised(value.text, status_of(value, frame), meaning))
        except UnresolvedCode as error:
            raise error.at(module, code) from None
        return found

    def _passes_through(self, function: Function | None, code: ast.expr) -> bool:
        """`problem(…, error.code, …)` for an error the API answers as it is: no new code."""
        if not (isinstance(code, ast.Attribute) and isinstance(code.value, ast.Name)):
            return False
        declared = self.flow.declared(function, code.value.id)
        return code.attr == "code" and any(self.answered(c) for c in declared)

    def status_of(self, info: ClassInfo) -> int:
        kind = self.source.inherited(info, "kind")
        name = kind.attr if isinstance(kind, ast.Attribute) else None
        if name not in self.statuses:
            raise UnresolvedCode(info.module, info.node, f"{info.name}'s kind has no status")
        return self.statuses[str(name)]

    def _domain_class(self, module: Module, made: ast.expr) -> ClassInfo | None:
        if not isinstance(made, ast.Call):
            return None
        info = self.source.class_named(module, made.func)
        return info if info is not None and self.is_domain(info) else None

    def _problem_init(self, info: ClassInfo | None) -> Function | None:
        init = self.source.init_of(info) if info is not None else None
        leading = tuple(init.positional[1:4]) if init else ()
        return init if leading == PROBLEM_PARAMS else None

    def _problem_function(self, site: CallSite) -> Function | None:
        function = self.source.function_named(site.module, site.call.func)
        leading = tuple(function.positional[:3]) if function else ()
        return function if leading == PROBLEM_PARAMS else None


def _from_tables(module: Module, function: Function | None) -> bool:
    if function is None:
        return False
    name = f"{function.owner}.{function.name}" if function.owner else function.name
    return (module.name, name) in FROM_TABLES


def status_by_kind(source: Source) -> dict[str, int]:
    """The HTTP status of each kind of domain error, as the API's table of them says."""
    for module in source.modules:
        for node in module.tree.body:
            if not (isinstance(node, ast.Assign) and isinstance(node.value, ast.Dict)):
                continue
            if any(isinstance(t, ast.Name) and t.id == STATUS_TABLE for t in node.targets):
                return _statuses_by_kind(node.value)
    raise LookupError(f"no {STATUS_TABLE} table of statuses in the source")


def _statuses_by_kind(table: ast.Dict) -> dict[str, int]:
    """`{ErrorKind.FORBIDDEN: 403, …}` → {"FORBIDDEN": 403, …}"""
    return {
        key.attr: status.value
        for key, status in zip(table.keys, table.values, strict=True)
        if isinstance(key, ast.Attribute)
        and isinstance(status, ast.Constant)
        and isinstance(status.value, int)
    }


def _keyword(call: ast.Call, name: str) -> ast.expr | None:
    given = [k.value for k in call.keywords if k.arg == name]
    if given and isinstance(given[0], ast.Constant) and given[0].value is None:
        return None
    return given[0] if given else None


# The page -----------------------------------------------------------------------------------

INTRO = """\
# Error codes

Every error is answered as `application/problem+json` (RFC 9457) with a stable `code`:

```json
{
  "type": "urn:liandong:problem:referral.reason_required",
  "title": "Unprocessable content",
  "status": 422,
  "detail": "a reason is required",
  "code": "referral.reason_required"
}
```

Match on `code`, never on `detail`: the detail is written for people and may change. This is
every code the service can answer, with its HTTP status and the details it comes with; `{name}`
stands for a value of the request or of the resource. How the statuses are used: the guide's
[Errors](api.md#errors).

Generated from the source by `python -m services.contracts write`; the tests fail when it drifts.
Every raise site under `domain/` and `services/` is read, so a new code appears here with no list
to edit, and a code computed at run time stops the generator.
"""


def markdown(found: Iterable[Raised]) -> str:
    rows: dict[str, tuple[set[int | None], set[str]]] = defaultdict(lambda: (set(), set()))
    for item in found:
        statuses, meanings = rows[item.code]
        statuses.add(item.status)
        if _says_something(item.meaning):
            meanings.add(item.meaning)
    groups: dict[str, list[str]] = defaultdict(list)
    for code in sorted(rows):
        groups[code.split(".", 1)[0] if "." in code else GENERAL].append(code)
    lines = [INTRO]
    for group in sorted(groups, key=lambda g: (g != GENERAL, g)):
        lines += [f"## {group}", "", "| code | status | meaning |", "|---|---|---|"]
        for code in groups[group]:
            statuses, meanings = rows[code]
            lines.append(f"| `{code}` | {_statuses(statuses)} | {_meanings(meanings)} |")
        lines.append("")
    return "\n".join(lines)


def _says_something(meaning: str) -> bool:
    """A detail with text of its own, not only placeholders."""
    return bool(re.sub(r"\{[^}]*\}", "", meaning).strip(" :;,."))


def _statuses(statuses: set[int | None]) -> str:
    shown = [str(s) for s in sorted(s for s in statuses if s is not None)]
    if None in statuses:
        shown.append("the HTTP error's")
    return ", ".join(shown)


def _meanings(meanings: set[str]) -> str:
    escaped = [
        m.replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;") for m in sorted(meanings)
    ]
    return "<br>".join(escaped) if escaped else "—"
