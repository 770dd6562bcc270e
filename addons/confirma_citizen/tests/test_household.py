# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from freezegun import freeze_time

from odoo.tests import tagged

from .common import ConfirmaCitizenCommon


@tagged("post_install", "-at_install")
class TestHousehold(ConfirmaCitizenCommon):
    @freeze_time("2026-03-01")
    def test_counts_follow_members(self):
        Partner = self.env["res.partner"].with_user(self.officer_citizen)
        household = (
            self.env["confirma.household"]
            .with_user(self.officer_citizen)
            .create({"name": "0100100001"})
        )
        base = {
            "is_resident": True,
            "padron_state": "active",
            "household_id": household.id,
        }
        grandma = Partner.create(dict(base, name="Grandma", birthdate="1950-01-01"))
        Partner.create(dict(base, name="Mother", birthdate="1985-01-01"))
        child = Partner.create(dict(base, name="Child", birthdate="2015-01-01"))
        self.assertEqual(
            (household.member_count, household.minor_count, household.elder_count),
            (3, 1, 1),
        )
        grandma.action_deregister("death")
        self.assertEqual((household.member_count, household.elder_count), (2, 0))
        child.household_id = False
        self.assertEqual((household.member_count, household.minor_count), (1, 0))

    def test_daily_recount_when_a_member_turns_18(self):
        household = self.env["confirma.household"].create({"name": "0100100002"})
        with freeze_time("2026-03-01"):
            self.env["res.partner"].create(
                {
                    "name": "Teen",
                    "is_resident": True,
                    "padron_state": "active",
                    "household_id": household.id,
                    "birthdate": "2008-03-02",
                }
            )
            self.assertEqual(household.minor_count, 1)
        with freeze_time("2026-03-02"):
            refreshed = self.env["confirma.household"]._cron_refresh_age_counts()
            self.assertEqual(refreshed, household)
            self.assertEqual(household.minor_count, 0)
