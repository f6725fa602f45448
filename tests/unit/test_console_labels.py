"""The console speaks to officers in Chinese: every status a resource's lifecycle leaves it in
and every act a person may be offered on it has its words, so no page shows a code."""

from __future__ import annotations

import pytest

from domain.lifecycle import FollowsLifecycle
from services import catalogue
from services.console.labels import STATUSES, act_label

# Each lifecycle with the API collection its resources are under (`meetings`).
LIFECYCLES = {
    aggregate.__name__: (aggregate.lifecycle, kind.path.rpartition("/")[2])
    for kind in catalogue.KINDS
    for aggregate in kind.aggregates
    if issubclass(aggregate, FollowsLifecycle)
}
# Acts another resource's decision takes (a dispute's settles its referral): offered to nobody.
TAKEN_BY_ANOTHER = {"settle"}


@pytest.mark.parametrize("name", sorted(LIFECYCLES))
def test_every_status_of_a_lifecycle_has_its_words(name):
    statuses = {str(s) for s in LIFECYCLES[name][0].after.values()}
    assert statuses, name
    assert sorted(statuses - STATUSES.keys()) == []


@pytest.mark.parametrize("name", sorted(LIFECYCLES))
def test_every_act_a_person_takes_has_its_words(name):
    lifecycle, collection = LIFECYCLES[name]
    acts = set(lifecycle.acts) - TAKEN_BY_ANOTHER
    assert acts, name
    assert sorted(a for a in acts if act_label(a, collection) == a) == []


def test_an_act_of_one_name_on_two_resources_is_told_apart():
    assert act_label("acknowledge", "referrals") == "签收"
    assert act_label("acknowledge", "meetings") == "确认收到纪要"
