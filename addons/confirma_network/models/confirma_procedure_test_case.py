# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import json

from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ConfirmaProcedureTestCase(models.Model):
    """A synthetic resident and what the procedure's rule must say of them:
    the proof, carried in the package, that the rule works where it is
    imported. Residents are described relative to the day the cases run
    and to the local parameters (see the package schema)."""

    _name = "confirma.procedure.test.case"
    _description = "Test case of a procedure's rule"
    _order = "procedure_id, sequence, id"

    procedure_id = fields.Many2one(
        "confirma.procedure", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(
        related="procedure_id.company_id", store=True, index=True
    )
    sequence = fields.Integer(default=10)
    name = fields.Char(required=True)
    resident = fields.Text(
        required=True,
        default="{}",
        help='The resident as JSON, e.g. {"age": 25, "registered_years": 3}.',
    )
    expected_eligible = fields.Boolean(string="Qualifies")
    expected_explanation = fields.Text(
        string="Explanation contains",
        help='Words of the explanation per language, as JSON, e.g. {"es": ["25"]}.',
    )
    last_result = fields.Selection(
        [("passed", "Passed"), ("failed", "Failed")], readonly=True, copy=False
    )
    last_message = fields.Char(readonly=True, copy=False)

    @api.constrains("resident", "expected_explanation")
    def _check_json(self):
        for case in self:
            for label, raw in (
                (self.env._("Resident"), case.resident),
                (self.env._("Explanation contains"), case.expected_explanation),
            ):
                try:
                    value = json.loads(raw) if raw else {}
                except ValueError as error:
                    raise ValidationError(
                        self.env._(
                            "%(field)s of the test case %(name)s is not valid "
                            "JSON: %(error)s",
                            field=label,
                            name=case.name,
                            error=error,
                        )
                    ) from None
                if not isinstance(value, dict):
                    raise ValidationError(
                        self.env._(
                            "%(field)s of the test case %(name)s must be a JSON "
                            "object ({...}).",
                            field=label,
                            name=case.name,
                        )
                    )

    def _as_package(self):
        """The cases as a package carries them."""
        cases = []
        for case in self:
            expected = {"eligible": case.expected_eligible}
            explanation = json.loads(case.expected_explanation or "{}")
            if explanation:
                expected["explanation"] = explanation
            cases.append(
                {
                    "name": case.name,
                    "resident": json.loads(case.resident or "{}"),
                    "expected": expected,
                }
            )
        return cases

    @api.model
    def _from_package(self, cases):
        return [
            {
                "sequence": index,
                "name": case["name"],
                "resident": json.dumps(case["resident"], ensure_ascii=False),
                "expected_eligible": case["expected"]["eligible"],
                "expected_explanation": json.dumps(
                    case["expected"].get("explanation") or {}, ensure_ascii=False
                ),
            }
            for index, case in enumerate(cases, 1)
        ]
