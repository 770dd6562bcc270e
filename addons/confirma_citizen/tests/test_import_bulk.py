# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The set-based path of a padrón import (``padron.bulk``) writes what
``create()`` writes: every stored column of a resident it creates equals
that of the same resident created by the ORM; what it does not work out
itself is computed by the ORM; access rights hold."""

import datetime

from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import tagged

from ..padron import bulk, layout
from ..padron.writer import ResidentWriter, stored_defaults
from ..synthetic import population as synthetic
from .common import ConfirmaImportCommon

#: Telephone numbers the synthetic town does not have: another country's,
#: spaces, a prefix Spain does not give, a landline, nonsense.
NUMBERS = (
    ("+33612345678", ""),
    ("600 123 456", ""),
    ("512345678", ""),
    ("", "961234567"),
    ("999999999", "+34 961 23 45 67"),
    ("6001", "abc"),
    ("+34711234567", ""),
)
#: Columns the comparison leaves out: who/when, and what differs by design
#: (the other company, its households, the record's own id).
NOT_COMPARED = {
    "id",
    "create_uid",
    "create_date",
    "write_uid",
    "write_date",
    "company_id",
    "household_id",
    "commercial_partner_id",
}


@tagged("post_install", "-at_install")
@freeze_time("2026-02-01")
class TestPadronBulkCreation(ConfirmaImportCommon):
    def _rows(self):
        rows = list(
            synthetic.generate_rows(
                300, seed=23, reference_date=datetime.date(2026, 1, 1)
            )
        )
        for row, (mobile, phone) in zip(rows, NUMBERS, strict=False):
            row.update(mobile=mobile, phone=phone)
        rows[len(NUMBERS)]["email"] = "Ana.Pérez@Example.ORG"
        rows[len(NUMBERS) + 1]["email"] = "two@example.org, three@example.org"
        return rows

    def test_every_stored_column_equals_the_orm(self):
        self.maxDiff = None
        rows = self._rows()
        imported = self.run_import(self.csv_of(rows))
        self.assertEqual((imported.created, imported.errors), (len(rows), 0))
        Partner = self.env["res.partner"].with_context(active_test=False)
        bulk_made = Partner.search(
            [("is_resident", "=", True), ("company_id", "=", self.company.id)],
            order="id",
        )
        self.assertEqual(len(bulk_made), len(rows))
        # what the writer gives a new resident (the rest: defaults, computed)
        writer = ResidentWriter(imported, datetime.date(2026, 2, 1))
        values = layout.parse_row(rows[0], today=datetime.date(2026, 2, 1))
        given = set(writer._vals(values, "digest", {}, update=False)) - NOT_COMPARED
        other_town = self.env["res.company"].create(
            {"name": "Other town", "country_id": self.env.ref("base.es").id}
        )
        orm_made = Partner.with_context(
            tracking_disable=True, mail_create_nolog=True
        ).create(
            [
                dict(
                    resident._convert_to_write(
                        {name: resident[name] for name in given}
                    ),
                    company_id=other_town.id,
                )
                for resident in bulk_made
            ]
        )
        self.env.flush_all()
        self.env.cr.execute(
            "SELECT id, to_jsonb(p) FROM res_partner p WHERE id = ANY(%s)",
            [bulk_made.ids + orm_made.ids],
        )
        stored = dict(self.env.cr.fetchall())
        for bulk_one, orm_one in zip(bulk_made, orm_made, strict=True):
            left, right = stored[bulk_one.id], stored[orm_one.id]
            self.assertEqual(
                {k: v for k, v in left.items() if k not in NOT_COMPARED},
                {k: v for k, v in right.items() if k not in NOT_COMPARED},
                f"resident {bulk_one.nia}",
            )
            self.assertEqual(left["commercial_partner_id"], bulk_one.id)
            self.assertEqual(right["commercial_partner_id"], orm_one.id)
        # the numbers and addresses above did reach both paths
        sanitized = set(bulk_made.mapped("phone_sanitized"))
        self.assertTrue({"+33612345678", "+34600123456", "+34961234567"} <= sanitized)
        self.assertIn("ana.pérez@example.org", bulk_made.mapped("email_normalized"))
        # the households' sizes were computed by the ORM from the new rows
        self.env.cr.execute(
            """
            SELECT h.id, h.member_count, count(p.id)
              FROM confirma_household h
              LEFT JOIN res_partner p ON p.household_id = h.id
             WHERE h.company_id = %s
          GROUP BY h.id
            """,
            [self.company.id],
        )
        counts = self.env.cr.fetchall()
        self.assertTrue(counts)
        self.assertEqual(
            [(h, size) for h, size, _n in counts], [(h, n) for h, _s, n in counts]
        )

    def test_fields_not_given_are_computed_by_the_orm(self):
        Household = self.env["confirma.household"].with_user(self.officer_citizen)
        created = bulk.insert(
            Household,
            [{"name": "B-1", "company_id": self.company.id, "active": True}],
        )
        self.env.flush_all()
        self.env.cr.execute(
            "SELECT member_count, minor_count, elder_count, create_uid "
            "FROM confirma_household WHERE id = %s",
            [created.id],
        )
        self.assertEqual(self.env.cr.fetchone(), (0, 0, 0, self.officer_citizen.id))

    def test_new_records_join_the_one2many_in_cache(self):
        # a resident's padrón history, read before a batch records an event
        # for them: the event is in it, as create() would have put it
        resident = self.env["res.partner"].create(
            {"name": "Ona Vidal", "is_resident": True, "company_id": self.company.id}
        )
        self.assertFalse(resident.padron_event_ids)
        Event = self.env["confirma.padron.event"]
        kind = self.env["confirma.padron.event.kind"].search([], limit=1)
        event = bulk.insert(
            Event,
            [
                dict(
                    stored_defaults(Event),
                    partner_id=resident.id,
                    company_id=self.company.id,
                    date=datetime.date(2026, 3, 1),
                    kind_id=kind.id,
                    kind_code=kind.code,
                    key="bulk-inverse-1",
                )
            ],
            given=("kind_code",),
        )
        self.assertEqual(resident.padron_event_ids, event)

    def test_joining_the_one2many_in_cache_reads_the_batch_once(self):
        """Households whose members are in the cache (as the padrón writer
        reads them): new residents join them, and the new residents are
        read once for the batch, not once per household (a city's first
        import read them 7,500 times for 20,000 residents)."""
        Household = self.env["confirma.household"]
        Partner = self.env["res.partner"]
        defaults = stored_defaults(Partner)

        def insert(count, key):
            households = Household.create(
                [
                    {"name": f"Q-{key}-{n}", "company_id": self.company.id}
                    for n in range(count)
                ]
            )
            self.assertFalse(households.member_ids)  # now in the cache
            self.env.flush_all()
            before = self.env.cr.sql_log_count
            residents = bulk.insert(
                Partner,
                [
                    dict(
                        defaults,
                        name=f"Resident {key} {n}",
                        is_resident=True,
                        padron_state="active",
                        company_id=self.company.id,
                        household_id=household.id,
                    )
                    for n, household in enumerate(households)
                ],
            )
            queries = self.env.cr.sql_log_count - before
            for household, resident in zip(households, residents, strict=True):
                self.assertEqual(household.member_ids, resident)
            return queries

        self.assertEqual(insert(30, "b"), insert(3, "a"))

    def test_access_rights_and_fields_hold(self):
        Household = self.env["confirma.household"]
        with self.assertRaises(AccessError):
            bulk.insert(
                Household.with_user(self.user_citizen),
                [{"name": "B-2", "company_id": self.company.id}],
            )
        with self.assertRaisesRegex(ValueError, "not a stored field"):
            bulk.insert(Household, [{"name": "B-3", "display_name": "B-3"}])
        with self.assertRaisesRegex(ValueError, "not written in bulk"):
            bulk.insert(
                Household,
                [
                    {
                        "name": "B-3",
                        "member_ids": [(6, 0, self.officer_citizen.partner_id.ids)],
                    }
                ],
            )
        with self.assertRaisesRegex(ValueError, "every record or none"):
            bulk.insert(
                Household,
                [
                    {"id": bulk.reserve_ids(Household, 1)[0], "name": "B-4"},
                    {"name": "B-5"},
                ],
            )
