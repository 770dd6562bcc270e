# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging

from odoo import fields, models
from odoo.tools.misc import format_date, formatLang

_logger = logging.getLogger(__name__)


class ConfirmaFactType(models.Model):
    """A kind of fact that another municipal system knows about residents."""

    _name = "confirma.fact.type"
    _description = "Resident fact type"
    _order = "name"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True, index=True)
    value_type = fields.Selection(
        [
            ("boolean", "Yes / no"),
            ("number", "Number"),
            ("text", "Text"),
            ("date", "Date"),
        ],
        required=True,
        default="boolean",
    )
    source_system = fields.Char(
        help="The municipal system the facts come from (tax roll, school "
        "enrolment, social services…)."
    )
    description = fields.Text(translate=True)
    sentence = fields.Char(
        string="Sentence (to the resident)",
        translate=True,
        help="How letters say it to the resident, e.g. \"your home's cadastral "
        'value is %(value)s €". %(value)s is the recorded value.',
    )
    sentence_other = fields.Char(
        string="Sentence (about someone else)",
        translate=True,
        help="How letters to a parent say it about the beneficiary, e.g. "
        '"%(name)s is enrolled at a municipal school". %(name)s is the '
        "beneficiary's first name.",
    )
    active = fields.Boolean(default=True)

    _sql_constraints = [
        ("code_uniq", "unique(code)", "The code of a fact type must be unique.")
    ]

    def _format_value(self, fact):
        """``fact``'s value in the language of the environment."""
        if self.value_type == "number":
            number = fact.value_number
            digits = 0 if float(number).is_integer() else 2
            return formatLang(self.env, number, digits=digits)
        if self.value_type == "date":
            if not fact.value_date:
                return ""
            # the town's documents write dates as dd/mm/yyyy in every language
            return format_date(self.env, fact.value_date, date_format="dd/MM/yyyy")
        return fact.value_display or ""

    def _sentence(self, fact, you=True, name=""):
        """The letter's sentence about ``fact`` (or '' when none is set or the
        sentence is malformed, which is logged)."""
        self.ensure_one()
        template = self.sentence if you else self.sentence_other
        if not template:
            return ""
        try:
            return template % {"value": self._format_value(fact), "name": name}
        except (KeyError, ValueError, TypeError):
            _logger.warning("Malformed sentence of the fact type %s", self.code)
            return ""
