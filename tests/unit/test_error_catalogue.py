"""The error catalogue (docs/errors.md) is the code's: every code a raise site gives is in it, with
the status its kind of error is answered with, and a code computed at run time stops it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from services.contracts.__main__ import main
from services.contracts.errors import PACKAGES, Raised, UnresolvedCode, catalogue, raised
from services.contracts.files import ERRORS, errors_drifted, write_errors

HANDED_DOWN = """
from domain.errors import Conflict, Invalid
from services.api.errors import ApiProblem


def check_sample(value: str, code: str = "sample.default", what: str = "a value") -> None:
    if not value:
        raise Invalid(f"{what} is required, not {value!r}", code=code)


def act(value: str) -> None:
    check_sample(value)
    check_sample(value, "sample.handed_down", "the sample")
    for text, code in (("one", "sample.first"), ("two", "sample.second")):
        if text == value:
            raise Conflict(f"{text} was taken", code=code)
    raise ApiProblem(418, "sample.teapot", "short and stout")
"""


def sample(tmp_path: Path, text: str, init: str = "") -> list[Path]:
    package = tmp_path / "sample"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text(init)
    (package / "rules.py").write_text(text)
    return [*PACKAGES, package]


def codes(found: list[Raised]) -> dict[str, set[tuple[int | None, str]]]:
    table: dict[str, set[tuple[int | None, str]]] = {}
    for item in found:
        table.setdefault(item.code, set()).add((item.status, item.meaning))
    return table


def test_the_checked_in_catalogue_is_the_one_the_code_generates():
    assert not errors_drifted(), "run `python -m services.contracts write` and commit the result"
    assert main(["check"]) == 0


def test_a_catalogue_that_drifted_is_noticed_and_rewritten(tmp_path):
    stale = tmp_path / "errors.md"
    stale.write_text("# Error codes\n")
    assert errors_drifted(stale)
    assert write_errors(stale) is True
    assert not errors_drifted(stale) and write_errors(stale) is False
    assert stale.read_text(encoding="utf-8") == ERRORS.read_text(encoding="utf-8")


def test_a_new_raise_site_is_catalogued_and_the_checked_in_one_then_drifts(tmp_path):
    found = codes(raised(sample(tmp_path, HANDED_DOWN)))
    assert found["sample.default"] == {(422, "a value is required, not {value}")}
    assert found["sample.handed_down"] == {(422, "the sample is required, not {value}")}
    assert found["sample.first"] == {(409, "one was taken")}
    assert found["sample.second"] == {(409, "two was taken")}
    assert found["sample.teapot"] == {(418, "short and stout")}
    text = catalogue(sample(tmp_path / "again", HANDED_DOWN))
    assert "| `sample.teapot` | 418 | short and stout |" in text
    assert errors_drifted(ERRORS, text)


def test_an_error_class_re_exported_by_a_package_is_still_known(tmp_path):
    text = 'from sample import Refused\n\n\ndef act() -> None:\n    raise Refused("no")\n'
    packages = sample(tmp_path, text, init="from sample.kinds import Refused\n")
    (tmp_path / "sample" / "kinds.py").write_text(
        "from domain.errors import Forbidden\n\n\n"
        'class Refused(Forbidden):\n    code = "sample.refused"\n'
    )
    assert codes(raised(packages))["sample.refused"] == {(403, "no")}


@pytest.mark.parametrize(
    ("source", "line", "says"),
    [
        (
            "from domain.errors import Conflict\n\n\ndef refuse(kind: str) -> None:\n"
            '    raise Conflict("no", code=kind.upper())\n',
            5,
            "kind.upper() is computed",
        ),
        (
            "from domain.errors import Conflict\n\n\ndef refuse(code: str) -> None:\n"
            '    raise Conflict("no", code=code)\n',
            4,
            "which nothing here calls",
        ),
        (
            "from domain.errors import Conflict\n\n\ndef refuse(code: str) -> None:\n"
            '    raise Conflict("no", code=code)\n\n\ndef act(picked: str) -> None:\n'
            "    refuse(picked.strip())\n",
            9,
            "the code picked.strip() is computed",
        ),
        (
            "from domain.errors import *\n\n\ndef refuse() -> None:\n"
            '    raise Invalid("no", code="sample.starred")\n',
            5,
            "cannot tell which Invalid this is",
        ),
    ],
)
def test_a_code_computed_at_run_time_stops_the_catalogue_with_its_file_and_line(
    tmp_path, source, line, says
):
    with pytest.raises(UnresolvedCode, match=re.escape(says)) as stopped:
        raised(sample(tmp_path, source))
    assert str(stopped.value).startswith(f"sample/rules.py:{line}: ")


def test_codes_handed_down_to_their_raise_site_are_found_with_their_status():
    found = codes(raised())
    assert {m for _, m in found["referral.not_acknowledged"]} == {
        "cannot accept a referral that is {status}",
        "cannot reject a referral that is {status}",
        "cannot answer a referral that is {status}",
    }
    assert found["agency.code_malformed"] == {
        (422, "agency {code} must be 2–63 lowercase letters, digits or dashes")
    }
    assert {s for s, _ in found["officer.code_malformed"]} == {422}
    assert found["auth.token_expired"] == {(401, "the token has expired")}
    assert {s for s, _ in found["calendar.date_outside_year"]} == {422}
    assert {s for s, _ in found["agency.code_taken"]} == {409}
    assert {s for s, _ in found["dispute.matter_required"]} == {422}
    assert (404, "{detail}") in found["not_found"] and (405, "{detail}") in found[
        "method_not_allowed"
    ]
    assert found["idempotency.key_malformed"] == {(422, "keys are 1–200 characters")}


def test_every_kind_of_domain_error_has_its_status_and_no_code_lacks_one():
    found = raised()
    assert {r.status for r in found if r.code == "http.error"} == {None}
    assert all(r.status is not None for r in found if r.code != "http.error")
    assert {r.status for r in found} - {None} <= {
        400,
        401,
        403,
        404,
        405,
        409,
        412,
        413,
        422,
        500,
        503,
    }
