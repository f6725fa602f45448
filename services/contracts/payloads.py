"""The domain's payload declarations as pydantic models, for their JSON Schemas.

An event's fields and the TypedDicts they use say what each field means with
`Annotated[type, "description"]`; here every TypedDict becomes a model that forbids properties
it does not declare, and every description becomes the field's `description`.
"""

from __future__ import annotations

import types
import typing
from functools import cache
from typing import Annotated, Any, NotRequired, Union, get_args, get_origin, is_typeddict

from pydantic import BaseModel, ConfigDict, Field, create_model


def described(annotation: Any) -> tuple[Any, str | None]:
    """The annotation without its description, and the description."""
    if get_origin(annotation) is Annotated:
        base, *extras = get_args(annotation)
        text = next((e for e in extras if isinstance(e, str)), None)
        return base, text
    return annotation, None


def model_type(annotation: Any) -> Any:
    """The annotation with each TypedDict in it replaced by its model."""
    annotation, _ = described(annotation)
    if is_typeddict(annotation):
        return model_of(annotation)
    origin, args = get_origin(annotation), get_args(annotation)
    if origin in (Union, types.UnionType):
        return Union[tuple(model_type(a) for a in args)]  # noqa: UP007
    if origin is list:
        return list[model_type(args[0])]  # type: ignore[misc]
    if origin is dict:
        return dict[str, model_type(args[1])]  # type: ignore[misc]
    return annotation


def field_of(annotation: Any, required: bool = True) -> tuple[Any, Any]:
    """A create_model field: its type and its FieldInfo with the description."""
    optional = get_origin(annotation) is NotRequired
    if optional:
        annotation = get_args(annotation)[0]
    base, text = described(annotation)
    if required and not optional:
        return model_type(base), Field(description=text)
    return model_type(base), Field(None, description=text)


@cache
def model_of(payload: type) -> type[BaseModel]:
    hints = typing.get_type_hints(payload, include_extras=True)
    fields: dict[str, Any] = {name: field_of(hint) for name, hint in hints.items()}
    config = ConfigDict(extra="forbid", title=payload.__name__)
    model: type[BaseModel] = create_model(payload.__name__, __config__=config, **fields)
    if payload.__doc__ and payload.__doc__ is not dict.__doc__:
        model.__doc__ = payload.__doc__
    return model
