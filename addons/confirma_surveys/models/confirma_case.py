# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import SQL

BATCH = 500


class ConfirmaCase(models.Model):
    _inherit = "confirma.case"

    survey_user_input_id = fields.Many2one(
        "survey.user_input", string="Satisfaction survey", readonly=True, copy=False
    )
    survey_invited_date = fields.Datetime(
        string="Survey invitation", readonly=True, copy=False, index="btree_not_null"
    )
    survey_score = fields.Float(
        related="survey_user_input_id.confirma_score", string="Satisfaction"
    )

    @api.model
    def _cron_survey_invitations(self, now=None):
        """Invite the residents of closed cases to their procedure's
        satisfaction survey, once per case, after the procedure's delay, by
        the channel rules of campaigns; never residents who opted out. One
        job per batch of cases (channel root.confirma.outreach); returns the
        cases handed out."""
        now = now or fields.Datetime.now()
        procedures = self.env["confirma.procedure"].search(
            [("survey_id", "!=", False), ("survey_id.active", "=", True)]
        )
        handed = 0
        for procedure in procedures:
            cases = self.search(
                [
                    ("procedure_id", "=", procedure.id),
                    ("state", "=", "closed"),
                    ("survey_invited_date", "=", False),
                    (
                        "date_closed",
                        "<=",
                        now - timedelta(days=procedure.survey_delay_days),
                    ),
                    ("partner_id.confirma_survey_opt_out", "=", False),
                    ("partner_id.active", "=", True),
                ],
                order="id",
            )
            for start in range(0, len(cases), BATCH):
                batch = cases[start : start + BATCH]
                batch.with_delay(
                    description=self.env._(
                        "%(procedure)s: survey invitations (%(count)s cases)",
                        procedure=procedure.display_name,
                        count=len(batch),
                    ),
                    identity_key=(
                        f"confirma-survey-invitations-{batch[0].id}-{batch[-1].id}"
                    ),
                )._survey_invitation_job(procedure, now)
                handed += len(batch)
        return handed

    def _survey_invitation_job(self, procedure, now):
        """Job: invite those of these cases nobody invited yet, locked for
        this job (two jobs never invite the same case; run again, it invites
        nobody twice). Returns the residents invited."""
        self.flush_model(["survey_invited_date"])
        self.env.cr.execute(
            SQL(
                "SELECT id FROM confirma_case WHERE id = ANY(%s) "
                "AND survey_invited_date IS NULL ORDER BY id FOR UPDATE SKIP LOCKED",
                self.ids,
            )
        )
        cases = self.browse([row[0] for row in self.env.cr.fetchall()])
        if not cases:
            return 0
        return cases._invite_to_survey(procedure, now)

    def _survey_channels(self, procedure):
        """{"email": residents, "post": residents}: the campaigns' channel
        rules (preferred channel, opt-outs, blacklists, no paper), without
        SMS: residents routed to SMS get an email, else a letter."""
        partners = self.partner_id
        Partner = self.env["res.partner"].with_context(active_test=False)
        email = Partner._reachable_domain("email")
        post = Partner._reachable_domain("post")
        within = [("id", "in", partners.ids)]
        if procedure.survey_channel == "email":
            return {"email": Partner.search(within + email), "post": Partner}
        if procedure.survey_channel == "post":
            return {"email": Partner, "post": Partner.search(within + post)}
        routed = self.env["confirma.campaign"]._route(partners)
        rest = routed["sms"] | routed["none"]
        by_email = routed["email"] | Partner.search([("id", "in", rest.ids)] + email)
        rest -= by_email
        by_post = routed["post"] | Partner.search([("id", "in", rest.ids)] + post)
        return {"email": by_email, "post": by_post}

    def _invite_to_survey(self, procedure, now):
        """One personal answer link per case, sent by email or letter.

        The daily job invites; a Confirm@ surveys officer may too. The
        answers, which no Confirm@ surveys user may create, are written with
        sudo once the caller is known to be allowed to read these cases and
        to be a surveys officer."""
        if not self.env.su:
            self.check_access("read")
            if not self.env.user.has_group("confirma_surveys.group_officer"):
                raise AccessError(
                    self.env._("Only Confirm@ surveys officers invite to surveys.")
                )
            return self.sudo()._invite_to_survey(procedure.sudo(), now)
        channels = self._survey_channels(procedure)
        by_channel = {
            channel: self.filtered(lambda c, p=partners: c.partner_id in p)
            for channel, partners in channels.items()
        }
        by_channel["post"] -= by_channel["email"]
        reached = by_channel["email"] | by_channel["post"]
        # cases nobody can reach are marked too: they are not looked at again
        self.write({"survey_invited_date": now})
        if not reached:
            return 0
        answers = self.env["survey.user_input"].create(
            [
                {
                    "survey_id": procedure.survey_id.id,
                    "partner_id": case.partner_id.id,
                    "email": case.partner_id.email or False,
                    "confirma_case_id": case.id,
                    "confirma_procedure_id": procedure.id,
                    "confirma_channel": channel,
                }
                for channel, cases in by_channel.items()
                for case in cases
            ]
        )
        for answer in answers:
            answer.confirma_case_id.survey_user_input_id = answer
        emails = answers.filtered(lambda a: a.confirma_channel == "email")
        if emails:
            template = self.env.ref("confirma_surveys.mail_template_survey_invitation")
            template.send_mail_batch(emails.ids)
        return len(answers)
