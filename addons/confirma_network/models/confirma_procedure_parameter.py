# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .. import package as packages

#: the condition fields a parameter can set, and their type
CONDITION_FIELDS = [
    ("min_value", "From"),
    ("max_value", "To"),
    ("fact_value", "Fact value"),
    ("fact_within_days", "Date within (days)"),
    ("fact_months", "Recorded within (months)"),
    ("codes", "Codes"),
]
INTEGER_FIELDS = {"min_value", "max_value", "fact_within_days", "fact_months"}


class ConfirmaProcedureParameter(models.Model):
    """A value the town's ordinance sets (an age limit, an income threshold,
    an amount): what changes when another town adopts the procedure. It
    may set one field of one condition of the procedure's rule."""

    _name = "confirma.procedure.parameter"
    _description = "Local parameter of a procedure"
    _order = "procedure_id, sequence, id"
    _check_company_auto = True

    procedure_id = fields.Many2one(
        "confirma.procedure", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(
        related="procedure_id.company_id", store=True, index=True
    )
    sequence = fields.Integer(default=10)
    name = fields.Char(
        string="Key",
        required=True,
        help="Short and stable, in lower case (e.g. max_age): how the package "
        "names it.",
    )
    label = fields.Char(required=True, translate=True)
    help = fields.Text(string="Explanation", translate=True)
    value_type = fields.Selection(
        [("integer", "Whole number"), ("number", "Number"), ("text", "Text")],
        string="Type",
        required=True,
        default="integer",
    )
    unit = fields.Char(help="e.g. years, EUR, days.")
    value = fields.Char(
        required=True, help="This municipality's value, as its ordinance sets it."
    )
    default_value = fields.Char(
        string="Package default",
        help="The value the published package proposes.",
    )
    minimum = fields.Float(help="Lowest value allowed (0: no limit).")
    maximum = fields.Float(help="Highest value allowed (0: no limit).")
    condition_id = fields.Many2one(
        "confirma.rule.condition",
        string="Sets the condition",
        ondelete="set null",
        help="The condition of the eligibility rule this value goes into.",
    )
    condition_field = fields.Selection(CONDITION_FIELDS, string="Field")

    _sql_constraints = [
        (
            "name_procedure_uniq",
            "unique(procedure_id, name)",
            "A procedure names each of its parameters once.",
        )
    ]

    @api.constrains("name", "value", "value_type", "minimum", "maximum")
    def _check_value(self):
        for parameter in self:
            try:
                packages.validate_parameter_name(parameter.name)
                packages.coerce(parameter._definition(), parameter.value)
            except packages.PackageError as error:
                raise ValidationError(
                    self.env._(
                        "The parameter %(label)s cannot take this value: %(error)s",
                        label=parameter.label or parameter.name,
                        error=error,
                    )
                ) from None

    @api.constrains("condition_id", "condition_field", "value_type")
    def _check_condition(self):
        for parameter in self:
            if not parameter.condition_id:
                continue
            if not parameter.condition_field:
                raise ValidationError(
                    self.env._(
                        "Say which field of the condition %(condition)s the "
                        "parameter %(label)s sets.",
                        condition=parameter.condition_id.display_name,
                        label=parameter.label,
                    )
                )
            rule = parameter.procedure_id.rule_id
            if parameter.condition_id not in (rule._leaf_conditions() if rule else ()):
                raise ValidationError(
                    self.env._(
                        "The parameter %(label)s must set a condition of the "
                        "procedure's own rule.",
                        label=parameter.label,
                    )
                )
            if (
                parameter.condition_field in INTEGER_FIELDS
                and parameter.value_type != "integer"
            ):
                raise ValidationError(
                    self.env._(
                        "%(label)s sets a whole-number field: its type must be "
                        "whole number.",
                        label=parameter.label,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        parameters = super().create(vals_list)
        parameters._apply()
        return parameters

    def write(self, vals):
        result = super().write(vals)
        if {"value", "condition_id", "condition_field"} & set(vals):
            self._apply()
        return result

    def _definition(self):
        """The parameter as a package declares it."""
        self.ensure_one()
        definition = {
            "name": self.name,
            "type": self.value_type,
            "default": self.default_value or self.value,
        }
        if self.minimum:
            definition["minimum"] = self.minimum
        if self.maximum:
            definition["maximum"] = self.maximum
        return definition

    def _typed_value(self):
        self.ensure_one()
        return packages.coerce(self._definition(), self.value)

    def _apply(self):
        """Write each value into the condition it sets."""
        for parameter in self.filtered(lambda p: p.condition_id and p.condition_field):
            value = parameter._typed_value()
            if parameter.condition_field not in INTEGER_FIELDS:
                value = str(value)
            if parameter.condition_id[parameter.condition_field] != value:
                parameter.condition_id.write({parameter.condition_field: value})
