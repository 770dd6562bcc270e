# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models

from odoo.addons.confirma_citizen.padron import ine_h

_CPRO = ine_h.OFFSETS[("id", "CPRO")]
_CMUN = ine_h.OFFSETS[("id", "CMUN")]


def municipality_of(text):
    """The INE municipality code (province and municipality) of an H
    record: the municipality whose padrón it changes."""
    return text[_CPRO[0] : _CPRO[1]] + text[_CMUN[0] : _CMUN[1]]


class ConfirmaPadronImport(models.Model):
    _inherit = "confirma.padron.import"

    parent_id = fields.Many2one(
        "confirma.padron.import",
        string="Provincial file",
        readonly=True,
        index=True,
        ondelete="set null",
        help="The provincial INE file this town's records came from.",
    )
    child_ids = fields.One2many(
        "confirma.padron.import",
        "parent_id",
        string="Imports of the other towns",
        readonly=True,
    )

    def _ine_h_route(self, records, today):
        """A provincial INE variation file (a Diputació receives one for its
        member towns) carries records of several municipalities: each
        record goes to the town of its municipality code, as an import of
        that town (the importing user must be allowed in it); records of a
        municipality that is not a town here are refused. A file with no
        record of another town of the installation is applied as it is."""
        records, refused = super()._ine_h_route(records, today)
        if self.parent_id:
            return records, refused  # one town's share of a provincial file
        towns = {
            company.confirma_ine_code: company
            for company in self.env.user.company_ids
            if company.confirma_ine_code and company != self.company_id
        }
        own = self.company_id.confirma_ine_code
        kept, shares, foreign = [], {}, []
        for line, text in records:
            code = municipality_of(text)
            if code == own:
                kept.append((line, text))
            elif code in towns:
                shares.setdefault(code, []).append((line, text))
            else:
                foreign.append((line, text, code))
        if not shares:
            return records, refused
        refused += [
            (
                line,
                text,
                self.env._(
                    "municipality %(code)s is not a town of this "
                    "installation (or you may not import into it)",
                    code=code,
                ),
            )
            for line, text, code in foreign
        ]
        for code, share in sorted(shares.items()):
            self._hand_to(towns[code], share, today)
        return kept, refused

    def _hand_to(self, town, share, today):
        """Import ``share`` ((line, text)) into ``town``: a file of the same
        lines (the others left blank, so that every report names the line
        of the provincial file)."""
        lines = [""] * max(line for line, _text in share)
        for line, text in share:
            lines[line - 1] = text
        child = self.with_company(town).create(
            {
                "name": f"{self.name} ({town.confirma_ine_code})",
                "company_id": town.id,
                "file_format": "ine_h",
                "parent_id": self.id,
            }
        )
        child.run("\r\n".join(lines).encode(ine_h.ENCODING), today=today)
        self.message_post(
            body=self.env._(
                "%(count)s records of %(town)s (%(code)s) handed to its import "
                "%(name)s.",
                count=len(share),
                town=town.name,
                code=town.confirma_ine_code,
                name=child.display_name,
            )
        )
        return child
