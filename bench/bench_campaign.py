"""Confirmation campaigns: launching one for 10,000 residents, printing letters.

Figures:
- ``campaign_launch_10k_s``: the officer's *Launch* for a town of 10,000
  residents who all qualify, until its last job ends: the sweep's jobs
  opening the 10,000 cases (with their explanations), then the sending jobs
  routing each resident to a channel, rendering and queueing the emails
  (each in the resident's language) and SMS, moving the offers to notified.
  The jobs run on an Odoo server as ``./confirma serve`` runs it (two HTTP
  workers and the job runner);
- ``campaign_launch_10k_offers``: offers sent (by any channel);
- ``letters_1k_pdf_s``: one printable PDF of 1,000 offer letters (QR codes
  included), rendered by one wkhtmltopdf run in this process: the limit of
- ``letters_jobs_per_s``: the officer's *Print letters* for every letter of
  the campaign (``letters_jobs_count``), rendered by jobs of the reports
  channel (500 letters each, two at a time: see odoo.conf) and gathered
  in a ZIP.

The town is the synthetic padrón imported through the real importer, on a
scratch database with confirma_citizen and confirma_tramites.
"""

import os
import tempfile
import time

import fixtures

RESIDENTS = 10_000
LETTERS = 1_000


def run(ctx):
    from confirma.odoo_env import addon_module
    from confirma.odoo_env import registry as odoo_env

    import odoo

    synthetic = addon_module(ctx.conf, "confirma_citizen.synthetic.population")
    with tempfile.TemporaryDirectory() as tmp:
        town = os.path.join(tmp, "padron-10k.csv")
        synthetic.write_csv(town, RESIDENTS, seed=7)
        modules = ["confirma_citizen", "confirma_tramites"]
        with ctx.scratch_db("campaign", modules=modules) as db:
            registry = odoo_env(ctx.conf, db)
            with registry.cursor() as cr:
                env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
                env.company.email = "ajuntament@example.org"
                loaded = fixtures.load_town(env, town, "padron-10k.csv")
                assert loaded.created == RESIDENTS, loaded.summary_line()
                cr.commit()
                procedure = fixtures.active_procedure(
                    env, "BENCH", {"kind": "age", "max_value": 120}
                )
                campaign = env["confirma.campaign"].create(
                    {"name": "Bench", "procedure_id": procedure.id}
                )
                cr.commit()

                from confirma import cli

                server, port = cli.start_server(ctx.conf, db)
                # wkhtmltopdf, run by the server's jobs, fetches the layout's
                # styles from the server itself
                env["ir.config_parameter"].set_param(
                    "report.url", f"http://127.0.0.1:{port}"
                )
                cr.commit()
                try:
                    time.sleep(6)  # the job runner starts after the server
                    started = time.perf_counter()
                    campaign.action_launch()
                    cr.commit()
                    fixtures.wait_for(env, campaign._launch_ended)
                    launch_s = time.perf_counter() - started
                    letters = campaign.notified_post
                    started = time.perf_counter()
                    campaign.action_print_letters()
                    cr.commit()
                    fixtures.wait_for(
                        env, lambda: bool(campaign.letter_attachment_id), timeout=1800
                    )
                    letters_jobs_s = time.perf_counter() - started
                finally:
                    cli.stop_server(server)
                sent = campaign._sent_counts()
                offers = sum(v for k, v in sent.items() if k != "none")
                assert sent["email"] and sent["post"], sent

                cases = env["confirma.case"].search(
                    [("campaign_id", "=", campaign.id)], limit=LETTERS, order="id"
                )
                started = time.perf_counter()
                content, kind = (
                    env["ir.actions.report"]
                    .with_context(force_report_rendering=True)
                    ._render_qweb_pdf(
                        "confirma_tramites.action_report_case_letter", cases.ids
                    )
                )
                letters_s = time.perf_counter() - started
                assert kind == "pdf" and content.startswith(b"%PDF"), kind
            odoo.modules.registry.Registry.delete(db)
    return {
        "campaign_launch_10k_s": round(launch_s, 1),
        "campaign_launch_10k_offers": offers,
        "letters_1k_pdf_s": round(letters_s, 1),
        "letters_jobs_count": letters,
        "letters_jobs_per_s": round(letters / letters_jobs_s, 1),
    }
