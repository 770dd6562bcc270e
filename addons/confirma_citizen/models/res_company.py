# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from .res_partner import RESIDENT_LANGS, TOWN_LANGS, installed_langs

#: Provinces where Catalan is called Valencian (Alacant, Castelló, València),
#: by the first two digits of the INE municipality code.
VALENCIAN_PROVINCES = ("03", "12", "46")


class ResCompany(models.Model):
    _inherit = "res.company"

    confirma_ine_code = fields.Char(
        string="INE municipality code",
        help="Five digits: province (2) and municipality (3), as in the INE "
        "padrón exchange files (e.g. 46250 for València).",
    )

    @api.constrains("confirma_ine_code")
    def _check_confirma_ine_code(self):
        for company in self:
            code = company.confirma_ine_code
            if code and not (len(code) == 5 and code.isdigit()):
                raise ValidationError(
                    _(
                        "The INE municipality code of %(company)s must be five "
                        "digits (province and municipality), not '%(code)s'.",
                        company=company.name,
                        code=code,
                    )
                )

    def _confirma_lang(self):
        """The municipality's language (installed): its contact's language,
        set in the settings, else Spanish, else Catalan, else the current
        one. Residents whose language is not installed are written to in
        it."""
        self.ensure_one()
        installed = installed_langs(self.env)
        return next(
            (
                code
                for code in (self.sudo().partner_id.lang, *TOWN_LANGS)
                if code in installed
            ),
            self.env.lang or "en_US",
        )

    def _confirma_page_langs(self):
        """The languages the public pages offer: {short code: its name in
        itself}, those of the residents' languages that are installed.
        Catalan is *Valencià* in the Valencian provinces."""
        self.ensure_one()
        installed = installed_langs(self.env)
        valencian = (self.confirma_ine_code or "")[:2] in VALENCIAN_PROVINCES
        names = {"es": "Castellano", "ca": "Valencià" if valencian else "Català"}
        return {
            short: names[short]
            for short, code in RESIDENT_LANGS.items()
            if code in installed
        }

    @api.model
    def _confirma_demo_lang(self):
        """Demo data: the town writes in Spanish (or Catalan) when active."""
        installed = installed_langs(self.env)
        code = next((c for c in TOWN_LANGS if c in installed), None)
        if code:
            self.env.ref("base.main_company").partner_id.lang = code
