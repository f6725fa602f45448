"""Where an error's code comes from: a literal at the raise site, or one handed down to it (a
helper's parameter, a loop over literal pairs, an exception that carries a code from where it was
made). A code the source does not give is computed at run time, and stops the catalogue."""

from __future__ import annotations

import ast
import itertools
from collections.abc import Callable, Iterator, Sequence

from services.contracts.error_names import (
    Bound,
    Carrier,
    Env,
    Frame,
    Made,
    UnresolvedCode,
    Value,
    assignments,
    binder,
    code_names,
    module_constant,
    name_and_attr,
    placeholder,
    self_fields,
    str_argument,
    table,
    target_names,
)
from services.contracts.error_sites import (
    CallSite,
    ClassInfo,
    Function,
    Module,
    Source,
    argument,
)

SELF = frozenset({"self", "cls"})


class Flow:
    def __init__(self, source: Source, answered: Callable[[ClassInfo], bool]) -> None:
        self.source = source
        self.answered = answered  # the exception classes the API answers as they are
        self._entered: list[int] = []

    # Frames -------------------------------------------------------------------------------

    def frames(
        self, module: Module, function: Function | None, exprs: Sequence[ast.expr]
    ) -> list[Frame]:
        """Every way the names the codes of `exprs` depend on are bound where they are."""
        if function is None:
            return [Frame(module, None)]
        if id(function.node) in self._entered:
            raise UnresolvedCode(module, function.node, f"{function.name} hands a code to itself")
        self._entered.append(id(function.node))
        try:
            envs: list[Env] = [{}]
            for options in self._groups(module, function, exprs):
                envs = [{**e, **o} for e in envs for o in options]
        finally:
            self._entered.pop()
        return [Frame(module, function, env) for env in envs]

    def _groups(
        self, module: Module, function: Function, exprs: Sequence[ast.expr]
    ) -> Iterator[list[Env]]:
        """The alternatives of each source of bindings: a loop, a caught exception, the calls of
        a function (all of its parameters bound together, call by call)."""
        params: dict[int, tuple[Function, list[str]]] = {}
        for name in self._needed(function, exprs):
            binding = binder(function, name)
            if binding.loop is not None and binding.owner is not None:
                yield _loop_options(module, binding.owner, binding.loop)
            elif binding.handler is not None and binding.owner is not None:
                yield self._made_options(binding.owner, binding.handler)
            elif binding.kind == "param" and binding.owner is not None:
                params.setdefault(id(binding.owner.node), (binding.owner, []))[1].append(name)
        for owner, names in params.values():
            yield self._call_options(owner, names)

    def _needed(self, function: Function, exprs: Sequence[ast.expr]) -> list[str]:
        found: list[str] = []
        pending = [n for e in exprs for n in code_names(e)]
        while pending:
            name = pending.pop(0)
            if name in found or name in SELF:
                continue
            found.append(name)
            binding = binder(function, name)
            if binding.kind == "assigned" and binding.owner is not None:
                pending += [n for v in assignments(binding.owner, name) for n in code_names(v)]
        return [n for n in found if binder(function, n).kind in ("param", "loop", "handler")]

    def _call_options(self, function: Function, names: list[str]) -> list[Env]:
        sites = self.source.calls_to(function)
        if not sites:
            why = f"the code comes from {function.name}({names[0]}), which nothing here calls"
            raise UnresolvedCode(function.module, function.node, why)
        options: list[Env] = []
        for site, bound in sites:
            args = {p: argument(function, site.call, p, bound) for p in function.params}
            missing = [n for n in names if args[n] is None]
            if missing:
                why = f"this call of {function.name} gives no {missing[0]}"
                raise UnresolvedCode(site.module, site.call, why)
            needed = [a for n in names if (a := args[n]) is not None]
            definition = Frame(function.module, None)
            for caller in self.frames(site.module, site.function, needed):
                options.append(
                    {
                        p: Bound(a, definition if a is function.default(p) else caller)
                        for p, a in args.items()
                        if a is not None
                    }
                )
        return options

    def _made_options(self, function: Function, handler: ast.ExceptHandler) -> list[Env]:
        options: list[Env] = []
        for info in self.caught(function.module, handler):
            carrier = self.carrier(info)
            if carrier is None or self.answered(info):
                raise UnresolvedCode(function.module, handler, f"{info.name} carries no code")
            for site in self.made(info):
                code = argument(carrier.init, site.call, carrier.fields["code"], True)
                if code is None:
                    raise UnresolvedCode(site.module, site.call, f"{info.name} made with no code")
                for frame in self.frames(site.module, site.function, [code]):
                    options.append({str(handler.name): Made(site.call, carrier, frame)})
        return options

    def caught(self, module: Module, handler: ast.ExceptHandler) -> list[ClassInfo]:
        kinds = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
        found = [self.source.class_named(module, k) for k in kinds if k is not None]
        known = [f for f in found if f is not None]
        if not known or len(known) < len(found):
            raise UnresolvedCode(module, handler, "the caught exception is not defined here")
        return known

    def made(self, info: ClassInfo) -> list[CallSite]:
        """Where the class, or one derived from it, is made."""
        return [
            site
            for site in self.source.calls
            if (made := self.source.class_named(site.module, site.call.func)) is not None
            and info in self.source.lineage(made)
        ]

    def carrier(self, info: ClassInfo) -> Carrier | None:
        init = self.source.init_of(info)
        if init is None:
            return None
        fields, message = self_fields(init)
        return Carrier(init, fields, message) if "code" in fields else None

    def declared(self, function: Function | None, name: str) -> list[ClassInfo]:
        """The classes a name is declared as: a parameter's annotation, or what is caught."""
        binding = binder(function, name)
        owner = binding.owner
        if binding.kind == "param" and owner is not None:
            annotation = owner.annotation(name)
            found = self.source.class_named(owner.module, annotation) if annotation else None
            return [found] if found else []
        if binding.handler is not None and owner is not None:
            try:
                return self.caught(owner.module, binding.handler)
            except UnresolvedCode:
                return []
        return []

    # Codes --------------------------------------------------------------------------------

    def values(self, expr: ast.expr, frame: Frame) -> list[Value]:
        """Every code the expression stands for in this frame; fails on one not in the source."""
        if isinstance(expr, ast.Constant) and (expr.value is None or isinstance(expr.value, str)):
            return [] if expr.value is None else [Value(expr.value)]
        if isinstance(expr, ast.JoinedStr):
            return self._joined(expr, frame)
        if isinstance(expr, ast.Name):
            return self._name(expr, frame)
        if isinstance(expr, ast.Attribute) and isinstance(expr.value, ast.Name):
            return self._field(expr.value.id, expr.attr, expr, frame)
        if isinstance(expr, ast.IfExp):
            return self.values(expr.body, frame) + self.values(expr.orelse, frame)
        codes = table(expr)
        if codes is not None and isinstance(expr, ast.Call):
            return codes + [v for d in expr.args[1:2] for v in self.values(d, frame)]
        raise UnresolvedCode(frame.module, expr, f"the code {ast.unparse(expr)} is computed")

    def _joined(self, expr: ast.JoinedStr, frame: Frame) -> list[Value]:
        parts: list[list[str]] = []
        for part in expr.values:
            if isinstance(part, ast.FormattedValue):
                found = self.values(part.value, frame)
                quoted = part.conversion == ord("r")
                parts.append([repr(v.text) if quoted else v.text for v in found])
            elif isinstance(part, ast.Constant):
                parts.append([str(part.value)])
        return [Value("".join(texts)) for texts in itertools.product(*parts)]

    def _name(self, expr: ast.Name, frame: Frame) -> list[Value]:
        bound = frame.env.get(expr.id)
        if isinstance(bound, Bound):
            return self.values(bound.expr, bound.frame)
        binding = binder(frame.function, expr.id)
        if bound is not None or binding.kind != "assigned" or binding.owner is None:
            raise UnresolvedCode(frame.module, expr, f"the code {expr.id} is computed")
        return [
            v for value in assignments(binding.owner, expr.id) for v in self.values(value, frame)
        ]

    def _field(self, name: str, attr: str, node: ast.expr, frame: Frame) -> list[Value]:
        bound = frame.env.get(name)
        if isinstance(bound, Bound) and isinstance(bound.expr, ast.Name):
            return self._field(bound.expr.id, attr, bound.expr, bound.frame)
        if isinstance(bound, Made) and attr in bound.carrier.fields:
            given = argument(bound.carrier.init, bound.call, bound.carrier.fields[attr], True)
            if given is not None:
                return self.values(given, bound.frame)
        raise UnresolvedCode(frame.module, node, f"the code {name}.{attr} is computed")

    def number(self, expr: ast.expr, frame: Frame) -> int | None:
        """The status an expression gives, where the source fixes it."""
        if isinstance(expr, ast.Constant) and isinstance(expr.value, int):
            return expr.value
        bound = frame.env.get(expr.id) if isinstance(expr, ast.Name) else None
        return self.number(bound.expr, bound.frame) if isinstance(bound, Bound) else None

    # Details ------------------------------------------------------------------------------

    def render(self, expr: ast.expr, frame: Frame) -> str:
        """A detail's text: what the source fixes, and `{name}` for what the request fills in."""
        if isinstance(expr, ast.JoinedStr):
            return "".join(self._piece(part, frame) for part in expr.values)
        bound = frame.env.get(expr.id) if isinstance(expr, ast.Name) else None
        if isinstance(bound, Bound):
            return self.render(bound.expr, bound.frame)
        carried = self._carried(expr, frame)
        if carried is not None:
            return carried
        inner = str_argument(expr)
        if inner is not None:
            return self.render(inner, frame)
        value = self._literal(expr, frame)
        return "{" + placeholder(expr) + "}" if value is None else str(value)

    def _piece(self, part: ast.expr, frame: Frame) -> str:
        if isinstance(part, ast.Constant):
            return str(part.value)
        assert isinstance(part, ast.FormattedValue)
        value = self._literal(part.value, frame)
        if value is not None:
            return repr(value) if part.conversion == ord("r") else str(value)
        carried = self._carried(part.value, frame)
        return carried if carried is not None else "{" + placeholder(part.value) + "}"

    def _carried(self, expr: ast.expr, frame: Frame) -> str | None:
        """The detail a carrier was made with: `error`, `str(error)`, `error.detail`."""
        name, attr = name_and_attr(str_argument(expr) or expr)
        made = frame.env.get(name) if name else None
        if not isinstance(made, Made):
            return None
        param = made.carrier.message if attr is None else made.carrier.fields.get(attr)
        given = argument(made.carrier.init, made.call, param, True) if param else None
        return None if given is None else self.render(given, made.frame)

    def _literal(self, expr: ast.expr, frame: Frame) -> object | None:
        if isinstance(expr, ast.Constant) and isinstance(expr.value, str | int | float):
            return expr.value
        if not isinstance(expr, ast.Name):
            return None
        bound = frame.env.get(expr.id)
        if isinstance(bound, Bound):
            return self._literal(bound.expr, bound.frame)
        if bound is None and binder(frame.function, expr.id).kind == "free":
            return module_constant(frame.module, expr.id)
        return None


def _loop_options(module: Module, function: Function, loop: ast.For) -> list[Env]:
    """`for text, code in ((…, "a.b"), (…, "a.c")):` one binding per literal item."""
    targets = target_names(loop.target)
    if not isinstance(loop.iter, ast.Tuple | ast.List):
        raise UnresolvedCode(module, loop.iter, "the code comes from a loop over computed values")
    frame = Frame(module, function)
    options: list[Env] = []
    for item in loop.iter.elts:
        parts = item.elts if isinstance(item, ast.Tuple) and len(targets) > 1 else [item]
        if len(parts) != len(targets):
            raise UnresolvedCode(module, item, "the loop's items do not fit its names")
        options.append({t: Bound(p, frame) for t, p in zip(targets, parts, strict=True)})
    return options
