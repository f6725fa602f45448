"""The source the error catalogue is read from: every module of the given packages, parsed, with
its functions, classes, imports and calls. Nothing is imported or run."""

from __future__ import annotations

import ast
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

FunctionNode = ast.FunctionDef | ast.AsyncFunctionDef


@dataclass(eq=False)
class Module:
    name: str  # dotted, as imports name it
    shown: str  # the path under the packages' parent, for messages
    tree: ast.Module
    imports: dict[str, str] = field(default_factory=dict)  # local name → dotted target


@dataclass(eq=False)
class Function:
    module: Module
    node: FunctionNode
    owner: str | None  # the class it is a method of
    outer: Function | None  # the function it is nested in

    @property
    def name(self) -> str:
        return self.node.name

    @property
    def positional(self) -> list[str]:
        args = self.node.args
        return [a.arg for a in [*args.posonlyargs, *args.args]]

    @property
    def params(self) -> list[str]:
        return [*self.positional, *(a.arg for a in self.node.args.kwonlyargs)]

    def default(self, param: str) -> ast.expr | None:
        args = self.node.args
        positional = self.positional
        if param in positional:
            index = positional.index(param) - (len(positional) - len(args.defaults))
            return args.defaults[index] if index >= 0 else None
        names = [a.arg for a in args.kwonlyargs]
        return args.kw_defaults[names.index(param)] if param in names else None

    def annotation(self, param: str) -> ast.expr | None:
        args = self.node.args
        found = [a for a in [*args.posonlyargs, *args.args, *args.kwonlyargs] if a.arg == param]
        return found[0].annotation if found else None


@dataclass(eq=False)
class ClassInfo:
    module: Module
    node: ast.ClassDef
    init: Function | None = None

    @property
    def name(self) -> str:
        return self.node.name

    def attribute(self, name: str) -> ast.expr | None:
        for statement in self.node.body:
            if isinstance(statement, ast.Assign | ast.AnnAssign) and statement.value is not None:
                targets = (
                    statement.targets if isinstance(statement, ast.Assign) else [statement.target]
                )
                if any(_target_name(t) == name for t in targets):
                    return statement.value
        return None


@dataclass(frozen=True)
class CallSite:
    call: ast.Call
    module: Module
    function: Function | None


@dataclass
class Source:
    modules: list[Module] = field(default_factory=list)
    functions: list[Function] = field(default_factory=list)
    classes: list[ClassInfo] = field(default_factory=list)
    calls: list[CallSite] = field(default_factory=list)

    by_name: dict[str, Module] = field(default_factory=dict)

    def origin(self, dotted: str) -> str:
        """Where a name is defined, following re-exports (`from domain.errors import Invalid`
        in a package's __init__) through the modules read."""
        for _ in range(20):
            module, _, name = dotted.rpartition(".")
            holder = self.by_name.get(module)
            if holder is None or name not in holder.imports:
                return dotted
            dotted = holder.imports[name]
        return dotted

    def named(self, module: Module, node: ast.expr) -> str | None:
        """The dotted origin of what a name in a module stands for: `Invalid`, `errors.Invalid`."""
        if isinstance(node, ast.Name):
            return self.origin(module.imports.get(node.id, f"{module.name}.{node.id}"))
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            target = module.imports.get(node.value.id)
            return self.origin(f"{target}.{node.attr}") if target else None
        return None

    def is_foreign(self, module: Module, node: ast.expr) -> bool:
        """Named from a module that was not read (a library's, the standard library's)."""
        found = self.named(module, node)
        return found is not None and found.rpartition(".")[0] not in self.by_name

    def class_named(self, module: Module, node: ast.expr) -> ClassInfo | None:
        """The class an expression in a module names, as its imports and definitions say."""
        found = self.named(module, node)
        owner, _, name = (found or "").rpartition(".")
        classes = [c for c in self.classes if c.module.name == owner and c.name == name]
        return classes[0] if classes else None

    def function_named(self, module: Module, node: ast.expr) -> Function | None:
        """The module-level function a name in a module stands for."""
        found = self.named(module, node) if isinstance(node, ast.Name) else None
        owner, _, name = (found or "").rpartition(".")
        functions = [
            f
            for f in self.functions
            if f.module.name == owner and f.name == name and f.owner is None and f.outer is None
        ]
        return functions[0] if functions else None

    def lineage(self, info: ClassInfo) -> Iterator[ClassInfo]:
        """The class and the classes it derives from, nearest first."""
        pending, seen = [info], set()
        while pending:
            current = pending.pop(0)
            if id(current) in seen:
                continue
            seen.add(id(current))
            yield current
            bases = (self.class_named(current.module, b) for b in current.node.bases)
            pending.extend(b for b in bases if b is not None)

    def inherited(self, info: ClassInfo, name: str) -> ast.expr | None:
        """A class attribute, as the class or the nearest class it derives from sets it."""
        return next((v for c in self.lineage(info) if (v := c.attribute(name)) is not None), None)

    def init_of(self, info: ClassInfo) -> Function | None:
        return next((c.init for c in self.lineage(info) if c.init is not None), None)

    def calls_to(self, function: Function) -> list[tuple[CallSite, bool]]:
        """Where the function is called, and whether the call names it on an instance."""
        found = []
        for site in self.calls:
            callee = site.call.func
            if callee_name(callee) != function.name:
                continue
            if function.owner is not None:
                if isinstance(callee, ast.Attribute) and _fits(function, site.call):
                    found.append((site, True))
            elif function.outer is not None:
                if isinstance(callee, ast.Name) and _encloses(function.outer, site.function):
                    found.append((site, False))
            elif self.named(site.module, callee) == f"{function.module.name}.{function.name}":
                found.append((site, False))
        return found


def _encloses(outer: Function, function: Function | None) -> bool:
    while function is not None:
        if function is outer:
            return True
        function = function.outer
    return False


def _fits(method: Function, call: ast.Call) -> bool:
    """The call could be one of the method's: it names only parameters the method has."""
    args = method.node.args
    if args.kwarg is None and any(k.arg not in method.params for k in call.keywords if k.arg):
        return False
    return args.vararg is not None or len(call.args) <= len(method.positional) - 1


def scan(packages: Sequence[Path]) -> Source:
    """Every module under the package directories, in a stable order."""
    source = Source()
    for package in packages:
        for path in sorted(package.rglob("*.py")):
            module = _module(package, path)
            source.modules.append(module)
            source.by_name[module.name] = module
            _index(source, module, module.tree, None, None)
    return source


def _module(package: Path, path: Path) -> Module:
    parts = [package.name, *path.relative_to(package).with_suffix("").parts]
    if parts[-1] == "__init__":
        parts.pop()
    shown = path.relative_to(package.parent).as_posix()
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=shown)
    module = Module(".".join(parts), shown, tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            base = _absolute(module.name, node, path.name == "__init__.py")
            module.imports.update({a.asname or a.name: f"{base}.{a.name}" for a in node.names})
        elif isinstance(node, ast.Import):
            module.imports.update({a.asname or a.name: a.name for a in node.names})
    return module


def _absolute(module: str, node: ast.ImportFrom, is_package: bool) -> str:
    if not node.level:
        return node.module or ""
    parts = module.split(".")
    anchor = parts[: len(parts) - node.level + (1 if is_package else 0)]
    return ".".join([*anchor, *([node.module] if node.module else [])])


def _index(
    source: Source, module: Module, node: ast.AST, owner: ClassInfo | None, outer: Function | None
) -> None:
    for child in ast.iter_child_nodes(node):
        if isinstance(child, FunctionNode):
            function = Function(module, child, owner.name if owner else None, outer)
            source.functions.append(function)
            if owner is not None and child.name == "__init__":
                owner.init = function
            _index(source, module, child, None, function)
        elif isinstance(child, ast.ClassDef):
            info = ClassInfo(module, child)
            source.classes.append(info)
            _index(source, module, child, info, outer)
        else:
            if isinstance(child, ast.Call):
                source.calls.append(CallSite(child, module, outer))
            _index(source, module, child, owner, outer)


def own_nodes(function: Function) -> Iterator[ast.AST]:
    """The nodes of a function's body, without those of the functions and classes it defines."""
    pending: list[ast.AST] = list(function.node.body)
    while pending:
        node = pending.pop()
        yield node
        if not isinstance(node, FunctionNode | ast.ClassDef):
            pending.extend(ast.iter_child_nodes(node))


def callee_name(node: ast.expr) -> str | None:
    """`f`, `a.b.f` → `f`: the last name of what is called or named."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def argument(function: Function, call: ast.Call, param: str, bound: bool) -> ast.expr | None:
    """What a call passes for a parameter, or the parameter's default. `bound`: the call names
    a method on an instance, so the first parameter (self) is not among the call's arguments."""
    for keyword in call.keywords:
        if keyword.arg == param:
            return keyword.value
    positional = function.positional[1:] if bound else function.positional
    index = positional.index(param) if param in positional else len(call.args)
    spread = any(isinstance(a, ast.Starred) for a in call.args[: index + 1])
    if not spread and index < len(call.args):
        return call.args[index]
    if spread or any(k.arg is None for k in call.keywords):
        return None  # *args or **kwargs: what they hold is not in the source
    return function.default(param)


def _target_name(target: ast.expr) -> str | None:
    return target.id if isinstance(target, ast.Name) else None
