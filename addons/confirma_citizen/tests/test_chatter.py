# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import random

from markupsafe import Markup

from odoo.tests import tagged
from odoo.tools import html_sanitize

from ..models.mail_thread import SANITIZE, plain_note_html
from .common import ConfirmaCitizenCommon

# what residents' names, addresses and procedures hold, and what a note must
# never let through as markup
ALPHABET = "aZ09 .,;:@-_/?=%+#()[]'\"&<>\\çàéñÀÇ·€ºª😀\xa0\t\n\x0b\x00\u2028"


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

    def test_plain_notes_stored_as_the_sanitizer_makes_them(self):
        """Plain texts skip the sanitizer's parsing: what is stored is what
        the sanitizer would have made of them, character for character (and
        texts it would change are sanitized as before)."""
        rng = random.Random(7)
        samples = [
            ["Ajut: oferta a l'adreça o'brien&co@example.org"],
            ['Beca "menjador": <script>alert(1)</script>', "&nbsp; &amp;"],
            [" leading", "trailing "],
            ["nb\xa0sp", "tab\tx", "ctl\x0bx"],
        ] + [
            [
                "".join(rng.choice(ALPHABET) for _c in range(rng.randint(1, 30)))
                for _t in range(rng.randint(1, 3))
            ]
            for _s in range(2000)
        ]
        fast = 0
        for texts in samples:
            built = plain_note_html(texts)
            if built is not None:
                fast += 1
                self.assertEqual(
                    built, html_sanitize(Markup("<br/>").join(texts), **SANITIZE)
                )
        self.assertGreater(fast, 100)  # the samples do reach the fast path
        residents = self.env["res.partner"].create(
            [{"name": f"Resident {n}", "is_resident": True} for n in range(8)]
        )
        lines = dict(zip(residents.ids, samples[:4] * 2, strict=True))
        ids = residents._confirma_log_note_lines(lines)
        messages = self.env["mail.message"].browse(ids)
        for message in messages:
            texts = lines[message.res_id]
            self.assertEqual(
                message.body,
                html_sanitize(Markup("<br/>").join(texts), **SANITIZE),
            )
            self.assertNotIn("<script", message.body)
