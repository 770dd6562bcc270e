# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

DIRECTIONS = [("in", "Entry (RE)"), ("out", "Exit (RS)")]
PREFIX = {"in": "RE", "out": "RS"}


def book_number(prefix, year, number):
    """How a number of a book is written: ``RE/2026/000123`` (six digits at
    least: a city's book passes a million).

    >>> book_number("RS", 2026, 1234567)
    'RS/2026/1234567'
    """
    return f"{prefix}/{year}/{number:06d}"


class ConfirmaRegisterEntry(models.Model):
    """The general register (Registro Electrónico General, Ley 39/2015
    art. 16): one entry per resident action through Confirm@ (*entrada*)
    and per outgoing offer or resolution (*salida*). Each gets a number
    ``RE/<year>/<n>`` or ``RS/<year>/<n>``, sequential without gaps per
    municipality, register office, direction and year, and the exact time.

    The book is read-only: entries are written by Confirm@ itself, never
    changed or deleted; a correction is a new entry that names the one it
    corrects. The fields follow SICRES 3.0 (the norm of the SIR exchange
    between administrations) so that a SIR connector can send and receive
    them later."""

    _name = "confirma.register.entry"
    _description = "Register entry"
    _order = "date desc, id desc"
    _check_company_auto = True

    name = fields.Char(
        string="Register number",
        readonly=True,
        help="Exits are numbered moments after they are registered, in the "
        "order of their time, by one job: sending jobs running side by side "
        "never wait for each other's numbers.",
    )
    direction = fields.Selection(DIRECTIONS, required=True, readonly=True)
    date = fields.Datetime(string="Registered on", required=True, readonly=True)
    year = fields.Integer(required=True, readonly=True, aggregator=False)
    number = fields.Integer(readonly=True, aggregator=False, index=True)
    company_id = fields.Many2one(
        "res.company", string="Municipality", required=True, readonly=True, index=True
    )
    office_code = fields.Char(
        string="Register office",
        required=True,
        readonly=True,
        help="The DIR3 code of the register office (SICRES: Código Entidad "
        "Registral).",
    )
    kind = fields.Selection(
        [
            ("confirm", "Confirmation of an offer"),
            ("decline", "Offer declined"),
            ("objection", "Objection to data consultation"),
            ("offer", "Offer sent"),
            ("resolution", "Resolution"),
            ("notification", "Notification"),
            ("correction", "Correction"),
        ],
        required=True,
        readonly=True,
    )
    channel = fields.Selection(
        [
            ("page", "Confirmation page"),
            ("portal", "Resident portal"),
            ("counter", "Counter"),
            ("phone", "Phone"),
            ("letter", "Letter"),
            ("email", "E-mail"),
            ("sms", "SMS"),
            ("post", "Post"),
            ("system", "Confirm@"),
        ],
        string="Channel (SICRES: transport)",
        readonly=True,
    )
    summary = fields.Char(
        string="Summary (SICRES: Resumen)", required=True, readonly=True
    )
    partner_id = fields.Many2one(
        "res.partner", string="Interested person", readonly=True, index=True
    )
    partner_document = fields.Char(
        string="Identity document", readonly=True, help="As it was when registered."
    )
    case_id = fields.Many2one("confirma.case", readonly=True, index="btree_not_null")
    procedure_id = fields.Many2one("confirma.procedure", readonly=True)
    sia_code = fields.Char(
        string="SIA code (SICRES: Código Asunto)",
        readonly=True,
        help="The procedure's code in the national catalogue (SIA), as it was.",
    )
    unit_code = fields.Char(
        string="Processing unit (DIR3)",
        readonly=True,
        help="SICRES: Código Unidad Tramitación (destination of an entry, "
        "origin of an exit).",
    )
    corrects_id = fields.Many2one(
        "confirma.register.entry",
        readonly=True,
        help="The entry this one corrects (entries are never changed).",
    )
    corrected_by_ids = fields.One2many(
        "confirma.register.entry", "corrects_id", string="Corrected by"
    )
    document_ids = fields.One2many(
        "confirma.document", "register_entry_id", string="Documents"
    )

    _sql_constraints = [
        (
            "number_uniq",
            "unique(company_id, office_code, direction, year, number)",
            "A register number is given once.",
        ),
        (
            "entry_numbered",
            "CHECK (direction = 'out' OR number IS NOT NULL)",
            "Entries are numbered when they are registered.",
        ),
    ]

    def write(self, vals):
        if vals:
            raise UserError(
                self.env._(
                    "The register book is read-only: record a correction as a new "
                    "entry instead."
                )
            )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(self.env._("Register entries are never deleted."))

    @api.model
    def _office_code(self, company):
        return company.confirma_register_office or "RGE"

    @api.model
    def _book_year(self, company, when):
        """The year of a book that ``when`` (UTC) falls in: the town's."""
        return fields.Datetime.context_timestamp(
            self.with_context(tz=company.partner_id.tz or "Europe/Madrid"), when
        ).year

    @api.model
    def _allocate(self, company, office, direction, year, count):
        """``count`` new numbers of the book of ``company``, ``office``,
        ``direction`` and ``year``: one upsert of its counter, whose row stays
        locked until this transaction ends. Numbers are therefore without
        gaps: a transaction that fails gives its numbers back, and a
        concurrent one waits, then fails to serialize and is retried by
        Odoo (requests, jobs) with the counter as the other left it."""
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO confirma_register_counter AS c
                       (company_id, office_code, direction, year, last_number)
                VALUES (%(company)s, %(office)s, %(direction)s, %(year)s, %(count)s)
                ON CONFLICT (company_id, office_code, direction, year)
                DO UPDATE SET last_number = c.last_number + EXCLUDED.last_number
                RETURNING last_number
                """,
                company=company.id,
                office=office,
                direction=direction,
                year=year,
                count=count,
            )
        )
        last = self.env.cr.fetchone()[0]
        return list(range(last - count + 1, last + 1))

    @api.model
    def _add_entries(self, vals_list):
        """Create the entries of ``vals_list`` (each with ``direction``,
        ``company_id``, ``kind``, ``summary`` and what else it knows) at this
        exact time. Entries (what a resident did) are numbered now: their
        receipt shows the number. Exits (what the town hall sent) are
        numbered by ``_number_exits_job`` moments later, in the order of their
        time: the campaign's sending jobs, side by side, never serialize on
        the book's counter. Confirm@'s own code calls it after checking that
        the user may act on what is registered: the book itself is written by
        nobody else."""
        now = fields.Datetime.now()
        books = {}
        for vals in vals_list:
            company = self.env["res.company"].browse(vals["company_id"])
            vals.setdefault("date", now)
            vals.setdefault("office_code", self._office_code(company))
            vals["year"] = self._book_year(company, vals["date"])
            if vals["direction"] == "out":
                continue  # numbered by the job
            key = (company, vals["office_code"], vals["direction"], vals["year"])
            books.setdefault(key, []).append(vals)
        for (company, office, direction, year), entries in books.items():
            numbers = self._allocate(company, office, direction, year, len(entries))
            for vals, number in zip(entries, numbers, strict=True):
                vals["number"] = number
                vals["name"] = book_number(PREFIX[direction], year, number)
        entries = self.sudo().create(vals_list)
        if any(vals["direction"] == "out" for vals in vals_list):
            self.sudo().with_delay(
                description=self.env._("Number the register's exits"),
                identity_key="confirma.register.entry:number_exits",
            )._number_exits_job()
        return entries

    @api.model
    def _number_exits_job(self):
        """Job: number the exits waiting for a number, per book, in the order
        of their time (one counter update per book, one UPDATE of the
        entries). Returns how many were numbered."""
        waiting = self.sudo().search(
            [("direction", "=", "out"), ("number", "=", False)], order="date, id"
        )
        books = {}
        for entry in waiting:
            key = (entry.company_id, entry.office_code, entry.year)
            books.setdefault(key, []).append(entry.id)
        for (company, office, year), ids in books.items():
            numbers = self._allocate(company, office, "out", year, len(ids))
            self.env.cr.execute(
                SQL(
                    """
                    UPDATE confirma_register_entry AS e
                       SET number = v.number, name = v.name
                      FROM unnest(%(ids)s::int[], %(numbers)s::int[],
                                  %(names)s::varchar[]) AS v(id, number, name)
                     WHERE e.id = v.id
                    """,
                    ids=ids,
                    numbers=numbers,
                    names=[book_number(PREFIX["out"], year, n) for n in numbers],
                )
            )
        waiting.invalidate_recordset(["number", "name"])
        return len(waiting)

    def action_correct(self):
        """Open the dialog that records a correction of this entry."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Correct %(entry)s", entry=self.name),
            "res_model": "confirma.register.correction",
            "view_mode": "form",
            "target": "new",
            "context": {"default_entry_id": self.id},
        }


class ConfirmaRegisterCounter(models.Model):
    """The last number given in each register book (municipality, office,
    direction, year): written only by ``confirma.register.entry._allocate``."""

    _name = "confirma.register.counter"
    _description = "Register book counter"
    _log_access = False

    company_id = fields.Many2one("res.company", required=True, ondelete="cascade")
    office_code = fields.Char(required=True)
    direction = fields.Selection(
        [*DIRECTIONS, ("resolution", "Resolution book")], required=True
    )
    year = fields.Integer(required=True)
    last_number = fields.Integer(required=True)

    _sql_constraints = [
        (
            "book_uniq",
            "unique(company_id, office_code, direction, year)",
            "One counter per register book.",
        ),
    ]
