# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""/my/account for a resident: the register (padrón) data are read-only, a
correction is asked of the padrón officers; contact data stay editable."""

from lxml import html

from odoo.tests import HttpCase, tagged

from .common import ConfirmaPopulationCommon


@tagged("post_install", "-at_install")
class TestPortalAccount(HttpCase, ConfirmaPopulationCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        portal = cls.env.ref("base.group_portal")
        cls.anna.write(
            {
                "city": "Vila",
                "zip": "46001",
                "country_id": cls.spain.id,
                "phone": "+34 600 000 001",
            }
        )
        cls.register = {
            name: cls.anna[name]
            for name in (
                "name",
                "first_name",
                "surname1",
                "street",
                "city",
                "zip",
                "country_id",
                "document_number",
                "vat",
                "birthdate",
            )
        }
        cls.anna_user = cls.env["res.users"].create(
            {
                "login": "anna_portal",
                "password": "anna_portal",
                "partner_id": cls.anna.id,
                "groups_id": [(6, 0, portal.ids)],
            }
        )
        cls.guest = cls.env["res.users"].create(
            {
                "login": "guest_portal",
                "password": "guest_portal",
                "name": "Guest Visitor",
                "email": "guest@example.org",
                "groups_id": [(6, 0, portal.ids)],
            }
        )

    # ---- helpers -----------------------------------------------------------------
    def open(self, url):
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200, response.text[:500])
        return html.fromstring(response.content)

    def post(self, url, **data):
        page = self.open(url)
        data["csrf_token"] = page.xpath("//input[@name='csrf_token']/@value")[0]
        response = self.url_open(url, data=data)
        self.assertEqual(response.status_code, 200, response.text[:500])
        self.env.invalidate_all()
        return response

    def hostile_post(self, email, phone):
        """What a crafted request sends: new register data with the contact."""
        return self.post(
            "/my/account",
            name="Someone Else",
            email=email,
            phone=phone,
            street="Carrer Fals 13",
            street2="3r 2a",
            city="Enlloc",
            zipcode="08001",
            country_id=str(self.morocco.id),
            vat="ESX1234567L",
            company_name="Shell Company",
        )

    # ---- the account page ----------------------------------------------------------
    def test_register_fields_shown_read_only(self):
        self.authenticate("anna_portal", "anna_portal")
        page = self.open("/my/account")
        for name in ("name", "street", "street2", "city", "zipcode", "vat"):
            (field,) = page.xpath(f"//input[@name='{name}']")
            self.assertIsNotNone(field.get("disabled"), name)
        self.assertEqual(
            page.xpath("//input[@name='name']/@value"), [self.register["name"]]
        )
        for name in ("country_id", "state_id"):
            (field,) = page.xpath(f"//select[@name='{name}']")
            self.assertIsNotNone(field.get("disabled"), name)
        for name in ("email", "phone"):
            (field,) = page.xpath(f"//input[@name='{name}']")
            self.assertIsNone(field.get("disabled"), name)
        self.assertTrue(page.xpath("//a[@href='/my/account/correction']"))

    def test_post_changes_contact_never_register_data(self):
        """A POST that changes the name and address changes nothing of them
        (server-side); the email and phone are saved."""
        self.authenticate("anna_portal", "anna_portal")
        response = self.hostile_post("anna.new@example.org", "+34 600 999 999")
        self.assertTrue(response.url.endswith("/my/home"), response.url)
        for name, value in self.register.items():
            self.assertEqual(self.anna[name], value, name)
        self.assertFalse(self.anna.street2)
        self.assertFalse(self.anna.company_name)
        self.assertEqual(self.anna.email, "anna.new@example.org")
        self.assertEqual(self.anna.phone, "+34 600 999 999")
        # what the disabled form really sends: only the contact fields
        self.post("/my/account", email="anna@example.org", phone="+34 600 000 002")
        self.assertEqual(
            (self.anna.email, self.anna.phone, self.anna.city),
            ("anna@example.org", "+34 600 000 002", "Vila"),
        )

    def test_other_portal_users_keep_odoo_behaviour(self):
        """Someone without padrón data still edits their name and address."""
        self.authenticate("guest_portal", "guest_portal")
        page = self.open("/my/account")
        self.assertIsNone(page.xpath("//input[@name='name']")[0].get("disabled"))
        self.assertFalse(page.xpath("//a[@href='/my/account/correction']"))
        self.hostile_post("guest@example.org", "+34 600 000 003")
        partner = self.guest.partner_id
        self.assertEqual((partner.name, partner.city), ("Someone Else", "Enlloc"))
        # and they have no register to correct
        response = self.url_open("/my/account/correction")
        self.assertTrue(response.url.endswith("/my/account"), response.url)

    # ---- correction requests -------------------------------------------------------
    def correction_notes(self):
        return self.anna.message_ids.filtered(
            lambda m: "Correction of the padrón data" in (m.body or "")
        )

    def test_correction_request_reaches_the_padron_officers(self):
        self.authenticate("anna_portal", "anna_portal")
        page = self.open("/my/account/correction")
        self.assertIn(self.anna.document_number, page.text_content())
        text = "My second surname is Puig i Soler, <b>not</b> Puig."
        response = self.post("/my/account/correction", correction=text)
        self.assertIn("Your request was sent", response.text)
        note = self.correction_notes()
        self.assertEqual(len(note), 1)
        self.assertIn("Puig i Soler, &lt;b&gt;not&lt;/b&gt; Puig.", note.body)
        self.assertEqual(note.author_id, self.anna)
        self.assertEqual(note.subtype_id, self.env.ref("mail.mt_note"))
        # addressed to the padrón officers (their inbox), not to plain users
        self.assertIn(self.officer_citizen.partner_id, note.partner_ids)
        self.assertIn(self.manager_citizen.partner_id, note.partner_ids)
        self.assertNotIn(self.user_citizen.partner_id, note.partner_ids)
        self.assertNotIn(self.anna, note.partner_ids)
        # the register itself is untouched
        self.assertEqual(self.anna.name, self.register["name"])

    def test_empty_or_long_correction_refused(self):
        self.authenticate("anna_portal", "anna_portal")
        response = self.post("/my/account/correction", correction="   ")
        self.assertIn("Tell us what is wrong", response.text)
        response = self.post("/my/account/correction", correction="x" * 2001)
        self.assertIn("at most 2000 characters", response.text)
        self.assertFalse(self.correction_notes())
