# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""``odoo-bin confirma-campaign``: launch a confirmation campaign, its results."""

import time

from odoo.cli import Command

from odoo.addons.confirma_citizen.cli.common import CommandError, ConfirmaCommand

STATS = (
    "targeted",
    "notified_email",
    "notified_sms",
    "notified_post",
    "unreachable",
    "opened",
    "clicked",
    "bounced",
    "confirmed",
    "declined",
    "expired",
    "confirmation_rate",
    "median_hours_to_confirm",
)


class ConfirmaCampaign(ConfirmaCommand, Command):
    """Launch a confirmation campaign, or print its results"""

    name = "confirma-campaign"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        for name, text in (
            (
                "launch",
                "open the missing cases and send the offers; prints sent by channel",
            ),
            (
                "stats",
                "targeted, notified by channel, confirmed, declined, expired, rate",
            ),
        ):
            q = sub.add_parser(name, help=text)
            q.add_argument("id", type=int, help="the campaign's id")
            self.add_database_arguments(q)
            if name == "launch":
                q.add_argument(
                    "--wait",
                    action="store_true",
                    help="follow the jobs until the campaign is sent (a progress "
                    "bar on a terminal), then print what was sent",
                )

    def execute(self, options):
        from odoo.exceptions import UserError  # noqa: PLC0415

        with self.database_env(
            options, "confirma.campaign", "confirma_tramites"
        ) as env:
            cr = env.cr
            campaign = env["confirma.campaign"].browse(options.id).exists()
            if not campaign:
                raise CommandError(f"No campaign with id {options.id}.")
            if options.action == "stats":
                self.out(
                    " ".join(f"{name}={campaign[name]}" for name in STATS), flush=True
                )
                return
            started = time.perf_counter()
            try:
                campaign.action_launch()
            except UserError as error:
                raise CommandError(str(error)) from None
            self.commit(cr)  # the jobs are handed out
            if not options.wait:
                self.out(f"campaign={campaign.id} state=queued", flush=True)
                return
            self.follow(env, lambda: self._status(campaign), "sending")
            elapsed = time.perf_counter() - started
            sent = campaign._sent_counts()
            self.out(
                " ".join(f"{key}={value}" for key, value in sent.items())
                + f" time={elapsed:.1f}s",
                flush=True,
            )

    @staticmethod
    def _status(campaign):
        return (
            campaign.job_done_count,
            campaign.job_count,
            campaign.job_failed_count,
            campaign._launch_ended(),
        )
