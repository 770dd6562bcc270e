# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models, tools
from odoo.tools import SQL

from odoo.addons.confirma_tramites.case_states import CONFIRMED


class ConfirmaNetworkTownStat(models.Model):
    """Each member town of the installation in figures, side by side: what
    a provincial body (a Diputació hosting several town halls) compares.
    Counts and rates only, never a resident: one row per municipality,
    computed by the database when read."""

    _name = "confirma.network.town.stat"
    _description = "Member town in figures"
    _auto = False
    _order = "company_id"

    company_id = fields.Many2one("res.company", string="Municipality", readonly=True)
    ine_code = fields.Char(string="INE code", readonly=True)
    residents = fields.Integer(readonly=True, aggregator="sum")
    procedures_active = fields.Integer(
        string="Procedures by confirmation", readonly=True, aggregator="sum"
    )
    cases = fields.Integer(readonly=True, aggregator="sum")
    ex_officio = fields.Integer(
        string="Opened ex officio", readonly=True, aggregator="sum"
    )
    confirmed = fields.Integer(readonly=True, aggregator="sum")
    take_up_rate = fields.Float(
        string="Take-up (%)",
        readonly=True,
        aggregator="avg",
        help="Cases confirmed by their residents, of the cases offered.",
    )
    resolution_days = fields.Float(
        string="Days to resolution",
        readonly=True,
        aggregator="avg",
        help="Mean days from the offer to the closing of a case.",
    )
    documents_saved = fields.Integer(
        string="Documents no longer requested",
        readonly=True,
        aggregator="sum",
        help="For each confirmed case, the documents its procedure asked for "
        "before and no longer asks for.",
    )

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
                CREATE VIEW %(view)s AS (
                SELECT company.id AS id,
                       company.id AS company_id,
                       company.confirma_ine_code AS ine_code,
                       (SELECT count(*) FROM res_partner partner
                         WHERE partner.company_id = company.id
                           AND partner.is_resident AND partner.active
                           AND partner.padron_state = 'active') AS residents,
                       (SELECT count(*) FROM confirma_procedure procedure
                         WHERE procedure.company_id = company.id
                           AND procedure.state = 'active'
                           AND procedure.active) AS procedures_active,
                       coalesce(figures.cases, 0) AS cases,
                       coalesce(figures.ex_officio, 0) AS ex_officio,
                       coalesce(figures.confirmed, 0) AS confirmed,
                       CASE WHEN figures.cases > 0
                            THEN round(100.0 * figures.confirmed / figures.cases, 1)
                            ELSE 0 END AS take_up_rate,
                       coalesce(figures.resolution_days, 0) AS resolution_days,
                       coalesce(figures.documents_saved, 0) AS documents_saved
                  FROM res_company company
                  LEFT JOIN LATERAL (
                       SELECT count(*) AS cases,
                              count(*) FILTER (
                                  WHERE kase.origin NOT IN ('counter', 'application')
                              ) AS ex_officio,
                              count(*) FILTER (
                                  WHERE kase.state IN %(confirmed)s
                              ) AS confirmed,
                              round(avg(extract(epoch FROM kase.date_closed
                                                - kase.date_proposed) / 86400)
                                    FILTER (WHERE kase.date_closed IS NOT NULL)
                                    ::numeric, 1) AS resolution_days,
                              (sum(coalesce(saved.documents, 0)) FILTER (
                                  WHERE kase.state IN %(confirmed)s
                              ))::integer AS documents_saved
                         FROM confirma_case kase
                         LEFT JOIN (
                              SELECT procedure_id, count(*) AS documents
                                FROM confirma_procedure_requirement
                               WHERE document_before
                                 AND NOT coalesce(document_now, false)
                               GROUP BY procedure_id
                         ) saved ON saved.procedure_id = kase.procedure_id
                        WHERE kase.company_id = company.id
                          AND kase.state != 'cancelled'
                  ) figures ON true
                 WHERE company.active
                )
                """,
                view=SQL.identifier(self._table),
                confirmed=tuple(CONFIRMED),
            )
        )
