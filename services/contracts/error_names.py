"""How the names of an error's code and detail are bound where the error is made, read from the
syntax alone: a parameter, a loop name, a caught exception, a local assignment, a module's name;
and the frames that hold what they stand for on one way to the raise site."""

from __future__ import annotations

import ast
from collections.abc import Mapping
from dataclasses import dataclass, field

from services.contracts.error_sites import Function, Module, own_nodes


@dataclass(frozen=True)
class Binding:
    kind: str  # param, loop, handler, assigned, or free (a module's name, a builtin)
    owner: Function | None = None  # the function that binds it
    loop: ast.For | None = None
    handler: ast.ExceptHandler | None = None


@dataclass(frozen=True)
class Value:
    """A code as the source gives it."""

    text: str
    status: int | None = None  # a code picked from a status → code table has that status


class UnresolvedCode(Exception):
    """A code the source does not give: computed at run time, so no catalogue can list it."""

    def __init__(self, module: Module, node: ast.AST, why: str) -> None:
        self.where = f"{module.shown}:{getattr(node, 'lineno', 0)}"
        self.why = why
        self.raised_at = ""
        super().__init__(why)

    def __str__(self) -> str:
        site = f" (the code of the error raised at {self.raised_at})" if self.raised_at else ""
        return f"{self.where}: {self.why}{site}; raise it with a literal code, or pass one down"

    def at(self, module: Module, node: ast.AST) -> UnresolvedCode:
        """Names the raise site the code was wanted for, where that is elsewhere."""
        here = f"{module.shown}:{getattr(node, 'lineno', 0)}"
        if not self.raised_at and here != self.where:
            self.raised_at = here
        return self


@dataclass(frozen=True, eq=False)
class Frame:
    """One way a function is reached: what its parameters and loop names stand for there."""

    module: Module
    function: Function | None
    env: Mapping[str, Bound | Made] = field(default_factory=dict)


@dataclass(frozen=True, eq=False)
class Bound:
    expr: ast.expr
    frame: Frame


@dataclass(frozen=True, eq=False)
class Carrier:
    """An exception class that is not answered itself but carries a code to where it is caught."""

    init: Function
    fields: Mapping[str, str]  # attribute → the __init__ parameter it is set from
    message: str | None  # the parameter handed to Exception.__init__: str(error)


@dataclass(frozen=True, eq=False)
class Made:
    """A name that holds a carrier made by this call."""

    call: ast.Call
    carrier: Carrier
    frame: Frame


Env = dict[str, Bound | Made]


def binder(function: Function | None, name: str) -> Binding:
    """How a name is bound in a function, or in those it is nested in."""
    current = function
    while current is not None:
        if name in current.params:
            return Binding("param", current)
        for node in own_nodes(current):
            if isinstance(node, ast.For) and name in target_names(node.target):
                return Binding("loop", current, loop=node)
            if isinstance(node, ast.ExceptHandler) and node.name == name:
                return Binding("handler", current, handler=node)
        if assignments(current, name):
            return Binding("assigned", current)
        current = current.outer
    return Binding("free")


def assignments(function: Function, name: str) -> list[ast.expr]:
    """What a function assigns to a name."""
    found = []
    for node in own_nodes(function):
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            targets = [node.target]
        else:
            continue
        if any(is_name(t, name) for t in targets) and node.value is not None:
            found.append(node.value)
    return found


def code_names(expr: ast.expr) -> list[str]:
    """The names a code expression's value depends on (what Flow.values looks up)."""
    if isinstance(expr, ast.Name):
        return [expr.id]
    if isinstance(expr, ast.JoinedStr):
        parts = [p.value for p in expr.values if isinstance(p, ast.FormattedValue)]
        return [n for p in parts for n in code_names(p)]
    if isinstance(expr, ast.Attribute) and isinstance(expr.value, ast.Name):
        return [expr.value.id]
    if isinstance(expr, ast.IfExp):
        return code_names(expr.body) + code_names(expr.orelse)
    if table(expr) is not None and isinstance(expr, ast.Call):
        return [n for d in expr.args[1:2] for n in code_names(d)]
    return []


def table(expr: ast.expr) -> list[Value] | None:
    """`{404: "not_found", …}.get(status, default)`: a literal table of codes by status."""
    if not (
        isinstance(expr, ast.Call)
        and isinstance(expr.func, ast.Attribute)
        and expr.func.attr == "get"
        and isinstance(expr.func.value, ast.Dict)
    ):
        return None
    found = []
    for key, value in zip(expr.func.value.keys, expr.func.value.values, strict=True):
        if not (isinstance(value, ast.Constant) and isinstance(value.value, str)):
            return None
        status = key.value if isinstance(key, ast.Constant) and isinstance(key.value, int) else None
        found.append(Value(value.value, status))
    return found


def placeholder(expr: ast.expr) -> str:
    """A short name for a value the request or the resource fills in: `{officer_id}`."""
    if isinstance(expr, ast.Name):
        return expr.id
    if isinstance(expr, ast.Attribute):
        hidden = expr.attr.startswith("_") or expr.attr == "value"
        return placeholder(expr.value) if hidden else expr.attr
    if isinstance(expr, ast.Subscript):
        key = expr.slice
        if isinstance(key, ast.Constant) and isinstance(key.value, str):
            return key.value
        return placeholder(expr.value)
    if isinstance(expr, ast.Call):
        func = expr.func
        if isinstance(func, ast.Attribute) and not isinstance(func.value, ast.Constant):
            return placeholder(func.value)
        if expr.args:
            return placeholder(expr.args[0])
    return ast.unparse(expr)


def target_names(target: ast.expr) -> list[str]:
    if isinstance(target, ast.Name):
        return [target.id]
    if isinstance(target, ast.Tuple | ast.List):
        return [n for t in target.elts for n in target_names(t)]
    return []


def module_constant(module: Module, name: str) -> object | None:
    """A module's `NAME = <literal>`."""
    for node in module.tree.body:
        if isinstance(node, ast.Assign) and any(is_name(t, name) for t in node.targets):
            value = node.value
            return value.value if isinstance(value, ast.Constant) else None
    return None


def name_and_attr(expr: ast.expr) -> tuple[str | None, str | None]:
    """`error` → (error, None); `error.detail` → (error, detail)."""
    if isinstance(expr, ast.Name):
        return expr.id, None
    if isinstance(expr, ast.Attribute) and isinstance(expr.value, ast.Name):
        return expr.value.id, expr.attr
    return None, None


def self_fields(init: Function) -> tuple[dict[str, str], str | None]:
    """What an __init__ keeps: `self.<attribute> = <parameter>`, and the parameter it hands to
    Exception.__init__ (the text of str(error))."""
    fields, message = {}, None
    for node in own_nodes(init):
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Name):
            kept = node.value.id in init.params
            for target in node.targets:
                if kept and isinstance(target, ast.Attribute) and is_name(target.value, "self"):
                    fields[target.attr] = node.value.id
        elif _is_super_init(node):
            assert isinstance(node, ast.Call)
            if node.args and isinstance(node.args[0], ast.Name):
                message = node.args[0].id
    return fields, message


def str_argument(expr: ast.expr) -> ast.expr | None:
    """`str(x)` → x."""
    if isinstance(expr, ast.Call) and is_name(expr.func, "str") and len(expr.args) == 1:
        return expr.args[0]
    return None


def is_name(node: ast.expr, name: str) -> bool:
    return isinstance(node, ast.Name) and node.id == name


def _is_super_init(node: ast.AST) -> bool:
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "__init__"
        and isinstance(node.func.value, ast.Call)
        and is_name(node.func.value.func, "super")
    )
