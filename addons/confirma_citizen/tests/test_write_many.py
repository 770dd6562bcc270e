# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""``res.partner._write_many`` (a padrón batch's changes, set-based through
``padron.bulk.write``) leaves the database as ``write()`` group by group
leaves it: every stored column of the residents and of their households,
snailmail's letters readdressed, and ``write()`` itself where it must be
(tracking on, contacts linked to the resident); access rights hold."""

import datetime

from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import tagged

from ..padron import bulk
from .common import ConfirmaImportCommon

#: Columns the comparison leaves out: when and by whom (the two runs differ).
NOT_COMPARED = ("write_date", "write_uid")


@tagged("post_install", "-at_install")
@freeze_time("2026-02-01")
class TestWriteMany(ConfirmaImportCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        imported = cls.run_import(cls, cls.synthetic_csv(40, seed=5))
        assert imported.created == 40, imported.summary_line()
        cls.Partner = cls.env["res.partner"].with_context(
            tracking_disable=True, active_test=False
        )
        cls.residents = cls.Partner.search(
            [("is_resident", "=", True), ("company_id", "=", cls.company.id)],
            order="id",
        )
        cls.households = cls.residents.household_id

    def _groups(self):
        """A batch's worth of changes: names, a household moving to another
        one's address, documents, renewals, departures, a birth date."""
        r = self.residents
        other = self.households[-1]
        return [
            (r[0:3].ids, {"first_name": "JOANA", "name": "JOANA MARTÍ"}),
            (r[3:6].ids, {"household_id": other.id, "street": "Carrer Nou 4"}),
            (r[6:7].ids, {"document_type": "dni", "document_number": "12345678z"}),
            (r[7:12].ids, {"padron_renewal_date": datetime.date(2026, 1, 20)}),
            (
                r[12:15].ids,
                {
                    "padron_state": "deregistered",
                    "padron_deregistration_reason": "death",
                    "padron_deregistration_date": datetime.date(2026, 1, 10),
                },
            ),
            (r[15:16].ids, {"birthdate": datetime.date(1940, 3, 3)}),
            (r[16:18].ids, {"surname1": "ROCA"}),
        ]

    def _columns(self, table, ids):
        self.env.flush_all()
        self.env.cr.execute(
            f"SELECT * FROM {table} WHERE id = ANY(%s) ORDER BY id",  # noqa: S608
            [list(ids)],
        )
        names = [column.name for column in self.env.cr.description]
        return [
            {k: v for k, v in zip(names, row, strict=True) if k not in NOT_COMPARED}
            for row in self.env.cr.fetchall()
        ]

    def _state(self):
        return (
            self._columns("res_partner", self.residents.ids),
            self._columns("confirma_household", self.households.ids),
        )

    def test_same_rows_as_write(self):
        # every write() override of this registry is one it knows
        self.assertTrue(self.Partner._bulk_write_covered())
        with self.env.cr.savepoint() as savepoint:
            self.Partner.with_prefetch(self.residents.ids)._write_many(self._groups())
            written = self._state()
            savepoint.rollback()
            self.env.invalidate_all()
            for ids, vals in self._groups():
                self.Partner.browse(ids).write(vals)
            self.assertEqual(written, self._state())
        residents, households = written
        by_id = {row["id"]: row for row in residents}
        # the values were written, and what depends on them recomputed
        self.assertEqual(by_id[self.residents[0].id]["name"], "JOANA MARTÍ")
        self.assertEqual(by_id[self.residents[6].id]["document_number"], "12345678Z")
        self.assertEqual(
            by_id[self.residents[16].id]["name"],
            self.residents[16]._build_resident_name(
                {
                    "first_name": self.residents[16].first_name,
                    "surname1": "ROCA",
                    "surname2": self.residents[16].surname2,
                }
            ),
        )
        sizes = {row["id"]: row["member_count"] for row in households}
        self.assertEqual(
            sizes[self.households[-1].id],
            len(
                self.households[-1].member_ids.filtered(
                    lambda p: p.padron_state == "active"
                )
            ),
        )

    def test_households_left_and_joined_are_recounted(self):
        movers = self.residents[3:6]
        joined = self.households[-1]
        left = movers.household_id - joined
        self.assertTrue(left)
        before = joined.member_count
        self.Partner.with_prefetch(self.residents.ids)._write_many(
            [(movers.ids, {"household_id": joined.id})]
        )
        self.env.flush_all()
        self.env.invalidate_all()
        self.assertEqual(joined.member_count, before + len(movers))
        for household in left:
            self.assertEqual(
                household.member_count,
                self.Partner.search_count(
                    [
                        ("household_id", "=", household.id),
                        ("padron_state", "=", "active"),
                    ]
                ),
            )

    def test_letters_not_sent_are_readdressed(self):
        resident = self.residents[3]
        Letter = self.env["snailmail.letter"]
        letters = Letter.create(
            [
                {
                    "partner_id": resident.id,
                    "model": "res.partner",
                    "res_id": resident.id,
                    "state": state,
                }
                for state in ("pending", "sent")
            ]
        )
        sent_to = letters[1].street
        self.assertNotEqual(sent_to, "Carrer Nou 4")
        self.Partner._write_many([(resident.ids, {"street": "Carrer Nou 4"})])
        self.assertEqual(letters.mapped("street"), ["Carrer Nou 4", sent_to])

    def test_write_where_it_must_be(self):
        """With tracking on, or for a resident with a contact under them,
        ``write()`` runs (and does what only it does: the contact's address
        follows the resident's)."""
        resident = self.residents[20]
        contact = self.Partner.create(
            {"name": "Representative", "parent_id": resident.id, "type": "contact"}
        )
        self.Partner._write_many(
            [(self.residents[20:22].ids, {"street": "Plaça Major 2"})]
        )
        self.assertEqual(contact.street, "Plaça Major 2")
        self.assertEqual(self.residents[21].street, "Plaça Major 2")
        # tracking on: write() tracks the change on the resident's chatter
        resident = self.residents[22]
        messages = len(resident.message_ids)
        tracked = self.env["res.partner"].with_context(tracking_disable=False)
        tracked._write_many([(resident.ids, {"first_name": "MARIONA"})])
        self.env.flush_all()
        self.env.cr.precommit.run()  # where the ORM writes tracking
        resident.invalidate_recordset()
        self.assertEqual(resident.first_name, "MARIONA")
        self.assertEqual(len(resident.message_ids), messages + 1)
        self.assertIn(
            "MARIONA",
            resident.message_ids[0].tracking_value_ids.mapped("new_value_char"),
        )

    def test_access_rights_hold(self):
        residents = self.residents[:2].with_user(self.user_internal)
        with self.assertRaises(AccessError):
            bulk.write(residents.browse(), [(residents.ids, {"first_name": "X"})])
        with self.assertRaises(AccessError):
            residents.with_context(tracking_disable=True)._write_many(
                [(residents.ids, {"first_name": "X"})]
            )
        self.assertNotEqual(self.residents[0].first_name, "X")

    def test_refuses_what_it_cannot_write(self):
        with self.assertRaises(ValueError):
            bulk.write(self.Partner, [(self.residents[:1].ids, {"category_id": []})])
        with self.assertRaises(ValueError):
            bulk.write(self.Partner, [(self.residents[:1].ids, {"display_name": "x"})])
