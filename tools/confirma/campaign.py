"""``./confirma campaign``: launch a confirmation campaign, show its results.

Runs inside the project's environment, where Odoo can be imported.
"""

import time

from .errors import SetupError
from .padron import database_env

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


def run(conf, args):
    from odoo.exceptions import UserError  # noqa: PLC0415

    with database_env(conf, args.db, "confirma.campaign", "confirma_tramites") as env:
        cr = env.cr
        campaign = env["confirma.campaign"].browse(args.id).exists()
        if not campaign:
            raise SetupError(f"No campaign with id {args.id}.")
        if args.campaign_command == "stats":
            print(" ".join(f"{name}={campaign[name]}" for name in STATS), flush=True)
            return
        started = time.perf_counter()
        try:
            # a commit per batch: a large campaign is resumable (nothing is
            # sent twice when it is launched again)
            sent = campaign.launch(on_batch=cr.commit)
            cr.commit()
        except UserError as error:
            raise SetupError(str(error)) from None
        elapsed = time.perf_counter() - started
        print(
            " ".join(f"{key}={value}" for key, value in sent.items())
            + f" time={elapsed:.1f}s",
            flush=True,
        )
