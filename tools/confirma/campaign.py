"""``./confirma campaign``: launch a confirmation campaign, show its results.

Runs inside the project's environment, where Odoo can be imported.
"""

import time

from . import postgres
from .errors import SetupError
from .padron import odoo_env

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
    import odoo  # noqa: PLC0415
    from odoo.exceptions import UserError  # noqa: PLC0415

    if not postgres.database_exists(args.db):
        raise SetupError(
            f"Database {args.db} does not exist: create it with "
            f"'./confirma db init --db {args.db}'."
        )
    registry = odoo_env(conf, args.db)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        if "confirma.campaign" not in env:
            raise SetupError(f"confirma_tramites is not installed in {args.db}.")
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
