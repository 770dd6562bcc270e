# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.tools import SQL

RESULTS = [("met", "Met"), ("not_met", "Not met"), ("unknown", "Unknown")]


class ConfirmaInteropLog(models.Model):
    """Audit trail of data queries: one row per holder asked (transmission).

    Written by the system only; read by the interoperability auditors, who
    export it for the platform's audits. Raw messages are attachments of the
    request, purged after the retention period; these rows stay.
    """

    _name = "confirma.interop.log"
    _description = "Data query audit log"
    _inherit = ["confirma.access.log.mixin"]
    _order = "date desc, id desc"
    _rec_name = "id_solicitud"

    date = fields.Datetime(required=True, readonly=True, index=True)
    company_id = fields.Many2one("res.company", readonly=True, index=True)
    request_id = fields.Many2one(
        "confirma.interop.request", readonly=True, index=True, ondelete="restrict"
    )
    id_peticion = fields.Char(string="Request id", readonly=True, index=True)
    id_solicitud = fields.Char(string="Solicitud id", readonly=True, index=True)
    id_transmision = fields.Char(string="Transmission id", readonly=True)
    mode = fields.Selection(
        [("sync", "Synchronous"), ("async", "Asynchronous")], readonly=True
    )
    service_id = fields.Many2one(
        "confirma.interop.service", readonly=True, ondelete="restrict"
    )
    service_code = fields.Char(string="Certificate code", readonly=True)
    issuer_nif = fields.Char(string="Issuer NIF", readonly=True)
    requester_nif = fields.Char(string="Requester NIF", readonly=True)
    holder_document_type = fields.Char(string="Holder document type", readonly=True)
    holder_document = fields.Char(string="Holder document", readonly=True, index=True)
    purpose = fields.Char(readonly=True)
    consent = fields.Char(readonly=True)
    official_name = fields.Char(string="Official", readonly=True)
    official_nif = fields.Char(string="Official NIF", readonly=True)
    user_id = fields.Many2one("res.users", string="Odoo user", readonly=True)
    procedure_code = fields.Char(string="Procedure code (SIA)", readonly=True)
    procedure_id = fields.Many2one("confirma.procedure", readonly=True)
    unit_name = fields.Char(string="Processing unit", readonly=True)
    unit_code = fields.Char(
        string="Unit code (DIR3)",
        readonly=True,
        help="The processing unit's DIR3 code, sent to the services that take it.",
    )
    case_id = fields.Many2one("confirma.case", readonly=True, index=True)
    expediente = fields.Char(string="Case number", readonly=True)
    status_code = fields.Char(readonly=True)
    status_text = fields.Char(string="Status", readonly=True)
    result = fields.Selection(RESULTS, readonly=True)
    result_note = fields.Char(readonly=True)

    def _access_log_partner(self):
        return self.case_id.partner_id

    @api.model
    def _append(self, values_list):
        """Write audit rows in one INSERT (a night's checks log thousands at
        once; the ORM's create cost as much as the queries themselves).
        ``values_list``: dicts of stored, plain fields of this model, all
        with the same keys. The log is append-only: nothing to compute,
        no other model touched."""
        if not values_list:
            return
        columns = list(values_list[0])
        for name in columns:
            field = self._fields[name]
            if (
                not field.store
                or field.compute
                or field.type
                in (
                    "one2many",
                    "many2many",
                    "binary",
                )
            ):
                raise ValueError(f"{name} is not a plain stored field of the log")
        now, uid = fields.Datetime.now(), self.env.uid
        row = "(" + ", ".join(["%s"] * (len(columns) + 4)) + ")"
        params = []
        for values in values_list:
            params.extend(values.get(name) or None for name in columns)
            params.extend((uid, now, uid, now))
        self.env.cr.execute(
            SQL(
                "INSERT INTO %s (%s, create_uid, create_date, write_uid, write_date) "
                "VALUES %s",
                SQL.identifier(self._table),
                SQL(", ").join(SQL.identifier(name) for name in columns),
                SQL(", ".join([row] * len(values_list)), *params),
            )
        )
        self.invalidate_model()
