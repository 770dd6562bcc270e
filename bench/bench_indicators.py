"""Indicators: closing a period of a large town.

Figures:
- ``indicators_close_1m_s``: closing the half-year and the year of a town of
  1,000,000 residents with 100,000 cases (40 procedures, all origins,
  states, channels and campaigns, resolved cases with their dates): every
  shipped indicator computed town-wide, per procedure and per channel,
  stored, frozen, and the deviations' activities created — as the button
  and the scheduled action do it.

The residents are the synthetic padrón loaded as in the ``rules`` benchmark
(COPY and INSERT … SELECT); the catalogue is created through the ORM and the
cases' history with INSERT … SELECT (a fixture: the measured close goes
through Odoo).
"""

import datetime
import importlib.util
import os
import tempfile
import time
from pathlib import Path

RESIDENTS = int(os.environ.get("CONFIRMA_BENCH_RESIDENTS", 1_000_000))
CASES = 100_000
PROCEDURES = 40
DAY = datetime.date(2026, 3, 1)


def _rules_bench():
    path = Path(__file__).with_name("bench_rules.py")
    spec = importlib.util.spec_from_file_location("_bench_rules", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _catalogue(env):
    technique = env.ref("confirma_tramites.technique_suppression")
    rule = env["confirma.rule"].create(
        {"name": "Adults", "condition_ids": [(0, 0, {"kind": "age", "min_value": 18})]}
    )
    procedures = env["confirma.procedure"]
    for number in range(PROCEDURES):
        procedures |= env["confirma.procedure"].create(
            {
                "name": f"Procedure {number}",
                "code": f"P{number}",
                "rule_id": rule.id if number % 4 else False,
                "state": "active" if number % 5 else "draft",
                "user_id": env.ref("base.user_admin").id,
                "technique_ids": [(6, 0, technique.ids)] if number % 3 == 0 else [],
                "requirement_ids": [
                    (0, 0, {"name": "Census", "document_name": "Census",
                            "document_before": True}),
                    (0, 0, {"name": "Income", "document_name": "Income",
                            "document_before": True, "document_now": number % 2 == 0,
                            "method": "interop" if number % 2 else "document"}),
                ],
            }
        )  # fmt: skip
    env["confirma.procedure.relation"].create(
        [
            {"procedure_id": procedures[i].id, "related_id": procedures[i + 1].id}
            for i in range(0, PROCEDURES - 1, 3)
        ]
    )
    campaigns = env["confirma.campaign"].create(
        [{"name": f"Campaign {p.code}", "procedure_id": p.id} for p in procedures[:10]]
    )
    return procedures, campaigns


def _cases(cr, procedures, campaigns, company_id):
    """100,000 cases spread over the procedures (distinct residents per
    procedure and period), 2025-H2 to 2026-H1."""
    cr.execute(
        """
        INSERT INTO confirma_case (
            name, partner_id, beneficiary_id, procedure_id, company_id, period,
            origin, state,
            resolution, channel, outreach_channel, campaign_id, date_proposed,
            date_notified, date_answered, date_closed, date_state, create_date,
            write_date)
        SELECT 'B/' || n, p.id, p.id, proc[1 + abs(hashint4(n::int)) %% %(procs)s],
               %(company)s, 'BENCH',
               (ARRAY['sweep','campaign','event','daily','counter','application'])
                   [1 + n %% 6],
               (ARRAY['notified','confirmed','declined','expired','instruction',
                      'closed','closed','granted'])[1 + n %% 8],
               CASE WHEN n %% 8 IN (5, 6, 7) THEN
                    (ARRAY['granted','denied'])[1 + n %% 2] END,
               CASE WHEN n %% 8 IN (1, 4, 5, 6, 7) THEN
                    (ARRAY['page','counter','letter'])[1 + n %% 3] END,
               (ARRAY['email','sms','post'])[1 + n %% 3],
               CASE WHEN n %% 6 = 1 THEN camp[1 + n %% %(camps)s] END,
               d, d + interval '1 day',
               CASE WHEN n %% 8 IN (1, 4, 5, 6, 7) THEN d + interval '3 days' END,
               CASE WHEN n %% 8 IN (5, 6) THEN
                    d + interval '3 days' + (n %% 60) * interval '1 day' END,
               d::date, now(), now()
          FROM (SELECT id, row_number() OVER (ORDER BY id) AS n
                  FROM res_partner WHERE is_resident LIMIT %(cases)s) AS p,
               LATERAL (SELECT timestamp '2025-07-01' + (p.n %% 360) * interval '1 day'
                               AS d) AS dates,
               (SELECT %(procedure_ids)s::int[] AS proc,
                       %(campaign_ids)s::int[] AS camp) AS ids
        """,
        {
            "procs": len(procedures),
            "camps": len(campaigns),
            "company": company_id,
            "cases": CASES,
            "procedure_ids": procedures.ids,
            "campaign_ids": campaigns.ids,
        },
    )
    cr.execute("ANALYZE confirma_case")


def run(ctx):
    from confirma.odoo_env import addon_module
    from confirma.odoo_env import registry as odoo_env

    import odoo

    rules = _rules_bench()
    synthetic = addon_module(ctx.conf, "confirma_citizen.synthetic.population")
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "padron-1m.csv")
        synthetic.write_csv(path, RESIDENTS, seed=1000, reference_date=rules.REFERENCE)
        with ctx.scratch_db("indicators", modules=["confirma_tramites"]) as db:
            registry = odoo_env(ctx.conf, db)
            with registry.cursor() as cr:
                env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
                rules._load_population(cr, path, env.company.id)
                procedures, campaigns = _catalogue(env)
                env.flush_all()
                _cases(cr, procedures, campaigns, env.company.id)
                cr.commit()
                print("bench: indicators: town and cases loaded", flush=True)
                Period = env["confirma.indicator.period"]
                periods = Period._get("half", DAY) | Period._get("year", DAY)
                cr.commit()
                started = time.perf_counter()
                periods.action_close()
                cr.commit()
                elapsed = time.perf_counter() - started
                values = env["confirma.indicator.value"].search_count(
                    [("period_id", "in", periods.ids)]
                )
                # town-wide, per procedure and per channel
                assert values > 4 * PROCEDURES, values
                assert set(periods.mapped("state")) == {"closed"}
                deviations = env["confirma.indicator.value"].search_count(
                    [("period_id", "in", periods.ids), ("deviation", "=", True)]
                )
            odoo.modules.registry.Registry.delete(db)
    return {
        "indicators_close_1m_s": round(elapsed, 2),
        "indicators_close_1m_values": values,
        "indicators_close_1m_deviations": deviations,
    }
