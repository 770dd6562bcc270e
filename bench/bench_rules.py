"""Eligibility rules and sweeps on a town of 1,000,000 residents.

Figures:
- ``rule_eval_1m_s``: a five-condition rule (age, years registered, household
  size, district, a digital channel) counted through the ORM —
  ``procedure._eligible_domain()`` and ``search_count`` — median of 5 runs;
- ``rule_eval_sql_1m_s``: the same predicate written by hand in SQL, same
  database, same run: the limit the ORM is measured against;
- ``rule_eval_python_100k_s``: the naive way — reading 100,000 residents and
  testing the conditions in Python, record by record — to show why not;
- ``sweep_100k_cases_per_s``: opening 100,000 cases with ``procedure.sweep``
  (explanations included, one commit per batch, as the command line does);
- ``resweep_100k_created``: cases opened by the same sweep run again (must be 0).

The population is the synthetic padrón (``padron generate``, realistic ages,
households and channels), loaded with COPY and INSERT … SELECT so that the
fixture takes a minute instead of the importer's quarter of an hour; the
measured parts all go through Odoo.
"""

import datetime
import os
import statistics
import sys
import tempfile
import time

# CONFIRMA_BENCH_RESIDENTS: a smaller town while working on the benchmark
RESIDENTS = int(os.environ.get("CONFIRMA_BENCH_RESIDENTS", 1_000_000))
SWEEP = 100_000
PYTHON_SAMPLE = 100_000
REFERENCE = datetime.date(2026, 6, 15)


def _load_population(cr, path, company_id):
    # Odoo is loaded (the synthetic town was written with the addon's module)
    from odoo.addons.confirma_citizen.padron.layout import COLUMNS as columns

    cr.execute(
        "CREATE TEMP TABLE padron_copy (%s)" % ", ".join(f"{c} text" for c in columns)
    )
    with open(path, encoding="utf-8") as handle:
        cr.copy_expert("COPY padron_copy FROM STDIN WITH (FORMAT csv, HEADER)", handle)
    cr.execute(
        """
        INSERT INTO confirma_household (name, company_id, district_code,
                                        section_code, active, create_date, write_date)
        SELECT DISTINCT ON (household_code) household_code, %s, district, section,
               true, now(), now()
          FROM padron_copy ORDER BY household_code
        """,
        [company_id],
    )
    cr.execute(
        """
        INSERT INTO res_partner (
            name, complete_name, first_name, surname1, surname2, is_resident,
            padron_state, company_id, type, active, is_company, partner_share,
            document_type, document_number, nia, birthdate, sex,
            padron_registration_date, district_code, section_code, household_id,
            household_relation, street, zip, city, email, email_normalized,
            mobile, phone_sanitized, preferred_language, preferred_channel,
            data_opposition, create_date, write_date)
        SELECT concat_ws(' ', c.first_name, c.surname1, nullif(c.surname2, '')),
               concat_ws(' ', c.first_name, c.surname1, nullif(c.surname2, '')),
               c.first_name, c.surname1, nullif(c.surname2, ''), true, 'active', %s,
               'contact', true, false, true, nullif(c.document_type, ''),
               nullif(c.document_number, ''), nullif(c.nia, ''), c.birthdate::date,
               nullif(c.sex, ''), c.registration_date::date, c.district, c.section,
               h.id, c.household_relation, c.street, c.zip, c.city,
               nullif(c.email, ''), lower(nullif(c.email, '')), nullif(c.mobile, ''),
               nullif(c.mobile, ''), c.preferred_language, c.preferred_channel,
               c.data_opposition = '1', now(), now()
          FROM padron_copy c
          JOIN confirma_household h ON h.name = c.household_code
        """,
        [company_id],
    )
    cr.execute(
        "UPDATE res_partner SET commercial_partner_id = id "
        "WHERE commercial_partner_id IS NULL"
    )
    # the household counts, as the model keeps them
    cr.execute(
        """
        UPDATE confirma_household h
           SET member_count = s.members, minor_count = s.minors,
               elder_count = s.elders
          FROM (SELECT household_id,
                       count(*) AS members,
                       count(*) FILTER (WHERE birthdate > %(minor)s) AS minors,
                       count(*) FILTER (WHERE birthdate <= %(elder)s) AS elders
                  FROM res_partner WHERE household_id IS NOT NULL
                 GROUP BY household_id) s
         WHERE s.household_id = h.id
        """,
        {
            "minor": REFERENCE.replace(year=REFERENCE.year - 18),
            "elder": REFERENCE.replace(year=REFERENCE.year - 65),
        },
    )
    cr.execute("ANALYZE res_partner; ANALYZE confirma_household")


SQL_PREDICATE = """
    SELECT count(*) FROM res_partner p
     WHERE p.active AND p.is_resident AND p.padron_state = 'active'
       AND p.company_id = %(company)s
       AND p.birthdate <= %(born_before)s
       AND p.padron_registration_date <= %(registered_before)s
       AND p.household_id IN (SELECT id FROM confirma_household
                               WHERE member_count <= 2)
       AND p.district_code IN ('01', '02', '03')
       AND ((p.email_normalized IS NOT NULL AND p.email_normalized NOT IN
               (SELECT email FROM mail_blacklist WHERE active))
         OR (p.mobile IS NOT NULL AND p.phone_sanitized IS NOT NULL
             AND p.phone_sanitized NOT IN
               (SELECT number FROM phone_blacklist WHERE active)))
"""


def _median_time(func, runs=5):
    times, result = [], None
    for _i in range(runs):
        started = time.perf_counter()
        result = func()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def _python_filter(env, ids):
    """The naive way: read each resident and test the rule in Python."""
    from dateutil.relativedelta import relativedelta

    partners = env["res.partner"].browse(ids)
    kept = 0
    for partner in partners:
        age = relativedelta(REFERENCE, partner.birthdate).years
        years = relativedelta(REFERENCE, partner.padron_registration_date).years
        if (
            age >= 65
            and years >= 10
            and partner.household_id.member_count <= 2
            and partner.district_code in ("01", "02", "03")
            and (
                (partner.email and not partner.is_blacklisted)
                or (partner.mobile and not partner.phone_sanitized_blacklisted)
            )
        ):
            kept += 1
    return kept


def run(ctx):
    from confirma.odoo_env import addon_module
    from confirma.odoo_env import registry as odoo_env

    import odoo

    synthetic = addon_module(ctx.conf, "confirma_citizen.synthetic.population")
    figures = {}
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "padron-1m.csv")
        synthetic.write_csv(path, RESIDENTS, seed=1000, reference_date=REFERENCE)
        with ctx.scratch_db("rules", modules=["confirma_tramites"]) as db:
            registry = odoo_env(ctx.conf, db)
            with registry.cursor() as cr:
                env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
                _load_population(cr, path, env.company.id)
                cr.commit()
                print("bench: rules: population loaded", flush=True)
                rule = env["confirma.rule"].create(
                    {
                        "name": "Bench: five conditions",
                        "condition_ids": [
                            (0, 0, {"kind": "age", "min_value": 65}),
                            (0, 0, {"kind": "registration_years", "min_value": 10}),
                            (0, 0, {"kind": "household_size", "max_value": 2}),
                            (0, 0, {"kind": "district", "codes": "01, 02, 03"}),
                            (0, 0, {"kind": "channel", "channel": "digital"}),
                        ],
                    }
                )
                procedure = env["confirma.procedure"].create(
                    {"name": "Bench", "code": "BENCH", "rule_id": rule.id}
                )
                Partner = env["res.partner"]

                def orm_count():
                    env.invalidate_all()
                    return Partner.search_count(procedure._eligible_domain(REFERENCE))

                def sql_count():
                    cr.execute(
                        SQL_PREDICATE,
                        {
                            "company": env.company.id,
                            "born_before": REFERENCE.replace(year=REFERENCE.year - 65),
                            "registered_before": REFERENCE.replace(
                                year=REFERENCE.year - 10
                            ),
                        },
                    )
                    return cr.fetchone()[0]

                orm_count()  # warm up caches (fields, rules, plans)
                sql_count()
                orm_s, orm_n = _median_time(orm_count)
                sql_s, sql_n = _median_time(sql_count)
                assert orm_n == sql_n, (orm_n, sql_n)
                print(f"bench: rules: {orm_n} residents qualify", flush=True)
                figures["rule_eval_1m_s"] = round(orm_s, 3)
                figures["rule_eval_sql_1m_s"] = round(sql_s, 3)
                figures["rule_eval_1m_matches"] = orm_n

                cr.execute(
                    "SELECT id FROM res_partner WHERE is_resident ORDER BY id LIMIT %s",
                    [PYTHON_SAMPLE],
                )
                sample = [row[0] for row in cr.fetchall()]
                env.invalidate_all()
                started = time.perf_counter()
                kept = _python_filter(env, sample)
                figures["rule_eval_python_100k_s"] = round(
                    time.perf_counter() - started, 2
                )
                env.invalidate_all()
                assert kept == Partner.search_count(
                    [("id", "in", sample)] + procedure._eligible_domain(REFERENCE)
                )

                # sweep: everyone of age, the first 100,000 of them
                adults = env["confirma.rule"].create(
                    {
                        "name": "Bench: adults",
                        "condition_ids": [(0, 0, {"kind": "age", "min_value": 18})],
                    }
                )
                sweep = env["confirma.procedure"].create(
                    {"name": "Bench sweep", "code": "SWEEP", "rule_id": adults.id}
                )
                env["confirma.procedure"].browse((procedure | sweep).ids).write(
                    {"state": "active"}
                )
                cr.execute(
                    "SELECT id FROM res_partner WHERE is_resident "
                    "AND birthdate <= %s ORDER BY id LIMIT %s",
                    [REFERENCE.replace(year=REFERENCE.year - 18), SWEEP],
                )
                target = [("id", "in", [row[0] for row in cr.fetchall()])]
                cr.commit()
                started = time.perf_counter()
                created, _skipped = sweep.sweep(
                    reference=REFERENCE, extra_domain=target
                )
                cr.commit()
                elapsed = time.perf_counter() - started
                assert created == SWEEP, created
                figures["sweep_100k_cases_per_s"] = round(created / elapsed, 1)
                again, _skipped = sweep.sweep(reference=REFERENCE, extra_domain=target)
                figures["resweep_100k_created"] = again
                cr.rollback()
            odoo.modules.registry.Registry.delete(db)
            odoo.sql_db.close_db(db)
    print(f"bench: rules: {figures}", file=sys.stderr, flush=True)
    return figures
