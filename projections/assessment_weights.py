"""The default weights of the yearly assessment (seed 000 §四(三), seed 001 §四, seed 003
§四(五)): how much each coordination duty counts towards an agency's score, and what a red
warning takes off it. A district publishes its own as configuration (`LIANDONG_ASSESSMENT_WEIGHTS`,
JSON duty → weight; `LIANDONG_ASSESSMENT_RED_PENALTY`); these answer where it publishes none.

The default weighs the duties the seeds name for the assessment (on-time referrals,
acknowledgements, minutes, answers to assistance requests: seed 000 §四) twice the others, and
takes nothing off for warnings: a warning is already a limit at risk or missed, which its duty's
share counts once.
"""

from __future__ import annotations

DEFAULT_WEIGHTS: dict[str, float] = {
    "referral_sending": 2.0,
    "acknowledgement": 2.0,
    "refusal": 1.0,
    "assistance": 2.0,
    "meeting_materials": 1.0,
    "meeting_minutes": 2.0,
    "invitation": 1.0,
    "attendance": 1.0,
    "crime_transfer_steps": 1.0,
    "case_decision": 1.0,
    "reinspection": 1.0,
    "record_filing": 1.0,
}
DUTY_NAMES = tuple(DEFAULT_WEIGHTS)
# Points off the 0–100 score for each red warning in the period (a yellow one takes none).
DEFAULT_RED_PENALTY = 0.0
