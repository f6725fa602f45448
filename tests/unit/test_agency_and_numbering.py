"""Agencies, officers and case numbers."""

from __future__ import annotations

from datetime import date, datetime
from uuid import uuid4

import pytest

from domain.agency import Agency, Officer
from domain.errors import DomainError
from domain.ids import agency_id, case_number_sequence_id
from domain.numbering import CaseNumbering, CaseNumberSequence, NumberingRule, format_case_number
from domain.values import AgencyKind, Certificate
from tests.unit.domain_fixtures import NOW


def test_an_agencys_id_is_derived_from_its_code():
    agency = Agency.register(
        code="tj-bh-yjj",
        name="滨海新区应急管理局",
        kind=AgencyKind.DISTRICT_BUREAU,
        parent_code=None,
        region="120116",
        at=NOW,
    )
    assert agency.id == agency_id("tj-bh-yjj")


@pytest.mark.parametrize("code", ["A-upper", "x", "has space", "-leading", "ü-nicode"])
def test_agency_codes_are_lowercase_slugs(code):
    with pytest.raises(DomainError) as error:
        Agency.register(
            code=code, name="n", kind=AgencyKind.BRIGADE, parent_code=None, region="120116", at=NOW
        )
    assert error.value.code == "agency.code_malformed"


@pytest.mark.parametrize(
    "kind", [AgencyKind.BUREAU_OFFICE, AgencyKind.LEGAL_DEPARTMENT, AgencyKind.DETACHMENT_OFFICE]
)
def test_an_internal_unit_belongs_to_an_agency(kind):
    with pytest.raises(DomainError) as error:
        Agency.register(
            code="tj-office", name="n", kind=kind, parent_code=None, region="120116", at=NOW
        )
    assert error.value.code == "agency.parent_required"


def test_officers_have_known_roles_only():
    with pytest.raises(DomainError) as error:
        Officer.register(
            officer="wang-fang",
            name="王芳",
            agency_code="tj-bh-yjj-zfs",
            roles=["officer", "emperor"],
            certificate=None,
            at=NOW,
        )
    assert error.value.code == "officer.role_unknown"


def test_admin_is_not_a_registered_role():
    with pytest.raises(DomainError) as error:
        Officer.register(
            officer="wang-fang",
            name="王芳",
            agency_code="tj-bh-yjj-zfs",
            roles=["admin"],
            certificate=None,
            at=NOW,
        )
    assert error.value.code == "officer.role_unknown"


def test_a_renewed_certificate_replaces_the_old_one():
    officer = Officer.register(
        officer="wang-fang",
        name="王芳",
        agency_code="tj-bh-yjj-zfs",
        roles=["officer"],
        certificate=Certificate("A1", date(2026, 1, 1)),
        at=NOW,
    )
    officer.renew_certificate(Certificate("A2", date(2031, 1, 1)), at=NOW)
    assert officer.certificate == Certificate("A2", date(2031, 1, 1))


def test_case_numbers_read_prefix_abbreviation_year_and_sequence():
    assert format_case_number("津滨应急", "罚", 2026, 12) == "津滨应急罚〔2026〕12号"


def test_sequences_count_without_gaps():
    seq = CaseNumberSequence.start("津滨应急", "罚", 2026)
    numbers = [seq.issue(uuid4(), NOW) for _ in range(3)]
    assert numbers == [f"津滨应急罚〔2026〕{n}号" for n in (1, 2, 3)]


def test_each_year_prefix_and_document_kind_has_its_own_sequence():
    ids = {
        case_number_sequence_id("津滨应急", "罚", 2026),
        case_number_sequence_id("津滨应急", "罚", 2027),
        case_number_sequence_id("津滨应急", "简罚", 2026),
        case_number_sequence_id("津和应急", "罚", 2026),
    }
    assert len(ids) == 4


def test_numbering_is_configured_per_region_and_takes_the_shanghai_year():
    numbering = CaseNumbering(
        NumberingRule("津滨应急"), {"120101": NumberingRule("津和应急", {"general": "罚"})}
    )
    new_year_in_shanghai = datetime.fromisoformat("2026-12-31T16:30:00+00:00")
    assert numbering.sequence_key("120116", "simple", new_year_in_shanghai) == (
        "津滨应急",
        "简罚",
        2027,
    )
    assert numbering.sequence_key("120101", "general", NOW) == ("津和应急", "罚", 2026)
    assert numbering.sequence_key("120116", "accident", NOW) == ("津滨应急", "罚", 2026)
