# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from markupsafe import Markup

from odoo.tests import tagged

from .common import ConfirmaCitizenCommon


@tagged("post_install", "-at_install")
class TestBatchNotes(ConfirmaCitizenCommon):
    """Notes logged in one INSERT read in the chatter as the ORM's notes:
    internal, the note subtype, the current user as author, sanitized."""

    def test_notes_in_one_batch(self):
        Partner = self.env["res.partner"]
        residents = Partner.create(
            [{"name": f"Resident {n}", "is_resident": True} for n in range(3)]
        )
        first, second, third = residents
        bodies = {
            first.id: Markup("<p>Checked: <b>met</b></p>"),
            second.id: Markup("<p>Checked: <b>met</b></p><script>alert(1)</script>"),
        }
        ids = residents._confirma_log_notes(bodies)
        self.assertEqual(len(ids), 2)
        note = self.env.ref("mail.mt_note")
        for resident in (first, second):
            (message,) = resident.message_ids.filtered(lambda m, ids=ids: m.id in ids)
            self.assertEqual(message.subtype_id, note)
            self.assertTrue(message.is_internal)
            self.assertEqual(message.message_type, "notification")
            self.assertEqual(message.author_id, self.env.user.partner_id)
            self.assertIn("<b>met</b>", message.body)
            self.assertNotIn("script", message.body)
            self.assertFalse(message.notification_ids)
        # no body, no note
        self.assertFalse(third.message_ids.filtered(lambda m: m.id in ids))
        self.assertEqual(Partner._confirma_log_notes({}), [])
