# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from markupsafe import Markup, escape

from odoo import fields, models
from odoo.exceptions import AccessError


class ConfirmaCase(models.Model):
    _inherit = "confirma.case"

    interop_check_ids = fields.One2many(
        "confirma.interop.check", "case_id", string="Data checks", readonly=True
    )
    interop_check_count = fields.Integer(compute="_compute_interop_check_count")

    def _compute_interop_check_count(self):
        counts = dict(
            self.env["confirma.interop.check"]._read_group(
                [("case_id", "in", self.ids)], ["case_id"], ["__count"]
            )
        )
        for case in self:
            case.interop_check_count = counts.get(case, 0)

    def _move(self, state, **vals):
        result = super()._move(state, **vals)
        if state == "confirmed":
            self._interop_queue()
        return result

    def _interop_queue(self):
        """Queue the data checks of the confirmed cases (requirements known
        through a data service); those cases wait in *Verifying*."""
        if not self:
            return self.env["confirma.interop.check"]
        requirements = (
            self.env["confirma.procedure.requirement"]
            .sudo()
            .search(
                [
                    ("procedure_id", "in", self.procedure_id.ids),
                    ("method", "=", "interop"),
                    ("interop_service_id", "!=", False),
                    ("interop_service_id.active", "=", True),
                ]
            )
        )
        if not requirements:
            return self.env["confirma.interop.check"]
        by_procedure = {}
        for requirement in requirements:
            by_procedure.setdefault(requirement.procedure_id.id, []).append(requirement)
        Check = self.env["confirma.interop.check"].sudo()
        existing = set(
            Check.search([("case_id", "in", self.ids)]).mapped(
                lambda c: (c.case_id.id, c.requirement_id.id)
            )
        )
        values = [
            {
                "case_id": case.id,
                "requirement_id": requirement.id,
                "service_id": requirement.interop_service_id.id,
            }
            for case in self
            for requirement in by_procedure.get(case.procedure_id.id, ())
            if (case.id, requirement.id) not in existing
        ]
        checks = Check.create(values)
        waiting = checks.case_id.filtered(lambda c: c.state == "confirmed")
        if waiting:
            waiting.sudo()._move("verifying")
        self.env.ref("confirma_interop.ir_cron_interop_process")._trigger()
        return checks

    def _interop_finish(self):
        """Cases whose checks are all answered go to instruction, with the
        verification summary in their chatter."""
        cases = self.filtered(lambda c: c.state == "verifying")
        if not cases:
            return cases
        Check = self.env["confirma.interop.check"].sudo()
        open_cases = {
            case.id
            for (case,) in Check._read_group(
                [
                    ("case_id", "in", cases.ids),
                    ("state", "not in", ("done", "objected")),
                ],
                ["case_id"],
            )
        }
        complete = cases.filtered(lambda c: c.id not in open_cases)
        if not complete:
            return complete
        labels = dict(Check._fields["result"]._description_selection(self.env))
        bodies = {}
        for case in complete:
            lines = Markup("").join(
                Markup("<li><b>%s</b>: %s%s</li>")
                % (
                    check.requirement_id.name,
                    labels.get(check.result, "?"),
                    Markup(" — %s") % check.result_note if check.result_note else "",
                )
                for check in case.interop_check_ids
            )
            bodies[case.id] = Markup("<p>%s</p><ul>%s</ul>") % (
                escape(
                    self.env._(
                        "Data verification finished; the case is now in " "instruction:"
                    )
                ),
                lines,
            )
        # thousands of cases at night: the state without one tracking
        # message each, the summary (which says the case moves on) as one
        # batch of notes
        complete.sudo().with_context(tracking_disable=True)._move("instruction")
        complete.sudo()._confirma_log_notes(bodies)
        return complete

    def action_interop_verify(self):
        """Verify now (interoperability officers): queue the checks of
        confirmed cases that have none, then send the queued ones without
        waiting for the scheduled run, in the name of who asked."""
        if not self.env.su and not self.env.user.has_group(
            "confirma_interop.group_officer"
        ):
            raise AccessError(
                self.env._(
                    "Only interoperability officers can verify cases with "
                    "data services."
                )
            )
        self.check_access("read")
        user = self.env.user
        cases = self.sudo()
        cases.filtered(lambda c: c.state == "confirmed")._interop_queue()
        sent = (
            self.env["confirma.interop.check"]
            .sudo()
            ._process([("case_id", "in", cases.ids)], user=user)
        )
        checks = cases.interop_check_ids
        waiting = checks.filtered(lambda c: c.state in ("queued", "sent", "pending"))
        if not checks:
            message = self.env._("These cases have no requirement to check with data.")
        elif waiting:
            message = self.env._(
                "%(count)s checks are waiting for an answer or a retry; see the "
                "platform's status if it fails.",
                count=len(waiting),
            )
        else:
            message = self.env._("%(count)s checks answered.", count=len(checks))
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "warning" if waiting or not (sent or checks) else "success",
                "message": message,
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    def action_view_interop_checks(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Data checks"),
            "res_model": "confirma.interop.check",
            "view_mode": "list,form",
            "domain": [("case_id", "=", self.id)],
            "context": {"create": False},
        }
