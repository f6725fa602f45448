"""The shapes of a case's notice, hearing and decision in its document."""

from __future__ import annotations

from typing import Any

from pydantic import Field

NoticeField = Field(
    None, description="the notice (告知书), its proposed penalty, the party's answer"
)
HearingField = Field(None, description="the hearing (听证): notification, panel, recusals, record")
DecisionField = Field(
    None, description="the penalty decision and its stamp, payment slip, payment, record filing"
)
Section = dict[str, Any] | None
