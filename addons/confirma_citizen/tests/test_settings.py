# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import ValidationError

from .common import ConfirmaCitizenCommon


class TestSettings(ConfirmaCitizenCommon):
    def test_ine_code_through_settings(self):
        settings = (
            self.env["res.config.settings"]
            .with_user(self.manager_citizen)
            .create({"confirma_ine_code": "46159"})
        )
        settings.execute()
        self.assertEqual(self.company.confirma_ine_code, "46159")

    def test_ine_code_rejects_bad_values(self):
        for bad in ("4615", "4615A", "461590"):
            with self.subTest(code=bad), self.assertRaises(ValidationError):
                self.company.write({"confirma_ine_code": bad})

    def test_translated_in_catalan_and_spanish(self):
        """The shipped es/ca translations are loaded with the language."""
        menu = self.env.ref("confirma_citizen.res_partner_menu_resident")
        for code, expected in (("ca_ES", "Veïns"), ("es_ES", "Vecinos")):
            self.env["res.lang"]._activate_lang(code)
            self.env["ir.module.module"].search(
                [("name", "=", "confirma_citizen")]
            )._update_translations(code)
            self.assertEqual(menu.with_context(lang=code).name, expected)

    def test_municipality_language(self):
        """The municipality's language is set in the settings; residents
        whose language is not installed are written to in it; the public
        pages offer the installed resident languages by their own names."""
        for code in ("es_ES", "ca_ES"):
            self.env["res.lang"]._activate_lang(code)
        Settings = self.env["res.config.settings"].with_user(self.manager_citizen)
        settings = Settings.create({})
        settings.confirma_lang = "es_ES"
        settings.execute()
        self.assertEqual(self.company.partner_id.lang, "es_ES")
        self.assertEqual(self.company._confirma_lang(), "es_ES")
        resident = self.env["res.partner"].create(
            {"name": "Resident", "is_resident": True, "preferred_language": "ca"}
        )
        self.assertEqual(resident._confirma_lang_code(), "ca_ES")
        self.company.confirma_ine_code = "03014"
        self.assertEqual(
            self.company._confirma_page_langs(), {"es": "Castellano", "ca": "Valencià"}
        )
        self.company.confirma_ine_code = "25120"
        self.assertEqual(self.company._confirma_page_langs()["ca"], "Català")
        # Catalan no longer installed: the resident is written to in Spanish
        self.env["res.lang"].search([("code", "=", "ca_ES")]).active = False
        self.assertEqual(resident._confirma_lang_code(), "es_ES")
        self.assertEqual(self.company._confirma_page_langs(), {"es": "Castellano"})
