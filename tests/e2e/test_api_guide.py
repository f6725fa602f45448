"""The guide for integrators (docs/api.md) keeps up with the API: it names every route the
OpenAPI document has, by method and path template, and points only inside the repository."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from services.api.main import create_app
from services.settings import Settings

pytestmark = pytest.mark.e2e

REPOSITORY = Path(__file__).resolve().parents[2]
GUIDE = REPOSITORY / "docs" / "api.md"


def routes() -> list[str]:
    paths = create_app(settings=Settings()).openapi()["paths"]
    return [f"{method.upper()} {path}" for path, ops in paths.items() for method in ops]


def test_the_guide_names_every_route_of_the_api():
    guide = GUIDE.read_text(encoding="utf-8")
    missing = [route for route in routes() if route not in guide]
    assert not missing, f"docs/api.md does not mention: {', '.join(missing)}"


def test_the_guide_and_the_readme_link_only_inside_the_repository():
    for page in (GUIDE, REPOSITORY / "README.md", REPOSITORY / "docs" / "errors.md"):
        text = page.read_text(encoding="utf-8")
        assert "../shared" not in text, page.name
        for target in re.findall(r"\]\(([^)#]+)", text):
            if not target.startswith("http"):
                assert (page.parent / target).exists(), f"{page.name} links to {target}"
