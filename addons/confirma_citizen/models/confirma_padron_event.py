# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.tools import format_date


class ConfirmaPadronEventKind(models.Model):
    """A kind of padrón change (birth, death, arrival…): what sensors subscribe to."""

    _name = "confirma.padron.event.kind"
    _description = "Padrón event kind"
    _order = "sequence, id"

    sequence = fields.Integer(default=10)
    code = fields.Char(required=True, index=True)
    name = fields.Char(required=True, translate=True)
    variation_code = fields.Selection(
        [("A", "Registration (A)"), ("B", "Deregistration (B)"), ("M", "Change (M)")],
        string="INE change code",
        required=True,
    )
    cause_code = fields.Char(
        string="INE cause", help="CAUV of the INE variation file (NA, DE, CD…)."
    )
    leaves_register = fields.Boolean(
        string="Leaves the register",
        help="The resident leaves the padrón: open cases are cancelled and "
        "pending outreach is stopped.",
    )
    active = fields.Boolean(default=True)

    _sql_constraints = [
        ("code_uniq", "unique(code)", "The code of a padrón event kind is unique.")
    ]


class ConfirmaPadronEvent(models.Model):
    """A change to the padrón as it happened to one resident: the life
    events sensors react to."""

    _name = "confirma.padron.event"
    _description = "Padrón event"
    _order = "date desc, id desc"
    _rec_name = "kind_id"

    partner_id = fields.Many2one(
        "res.partner",
        string="Resident",
        required=True,
        index=True,
        ondelete="cascade",
        domain=[("is_resident", "=", True)],
        check_company=True,
    )
    # Written by the import with its resident's company (events are never
    # created by hand): no per-record company check on a thousand rows.
    company_id = fields.Many2one("res.company", required=True, index=True)
    date = fields.Date(
        string="Date of effect",
        required=True,
        index=True,
        help="The date the change took administrative effect (FVAR).",
    )
    kind_id = fields.Many2one(
        "confirma.padron.event.kind",
        string="Event",
        required=True,
        index=True,
        ondelete="restrict",
    )
    kind_code = fields.Char(related="kind_id.code", store=True, index=True)
    variation_code = fields.Selection(related="kind_id.variation_code")
    place = fields.Char(
        string="From / to",
        help="Origin or destination of a move: INE province and municipality "
        "code, or the country abroad.",
    )
    household_id = fields.Many2one(
        "confirma.household", string="Household sheet", check_company=True
    )
    description = fields.Char(help="What changed, in a few words.")
    import_id = fields.Many2one(
        "confirma.padron.import", index=True, ondelete="set null"
    )
    line = fields.Integer(string="Line in file")
    key = fields.Char(
        string="Change digest",
        required=True,
        readonly=True,
        help="Digest of the change: the same change is applied once.",
    )

    _sql_constraints = [
        (
            "key_company_uniq",
            "unique(company_id, key)",
            "This padrón change was applied already.",
        )
    ]

    @api.depends("kind_id", "date")
    def _compute_display_name(self):
        for event in self:
            event.display_name = f"{event.kind_id.name} ({event.date})"

    def _log_on_residents(self, values=None):
        """Note these padrón changes on their residents' chatters, one note
        per resident (one insert for the whole batch): the resident's file
        tells their padrón story beside the cases and messages. ``values``:
        the events' values as just written, in the order of ``self`` (their
        partner, kind, date, description and place), instead of reading
        them again."""
        kinds = {
            kind.id: kind.name
            for kind in self.env["confirma.padron.event.kind"]
            .with_context(active_test=False)
            .search([])
        }
        notes, texts, dates = {}, {}, {}
        events = values
        if events is None:
            events = self.sudo().search_read(
                [("id", "in", self.ids)],
                ["partner_id", "kind_id", "date", "description", "place"],
                load=None,
                order="id",
            )
        for event in events:
            key = (
                event["kind_id"],
                event["date"],
                event["description"],
                event["place"],
            )
            if key not in texts:
                # a batch's thousand events share a few kinds and dates
                if event["date"] not in dates:
                    dates[event["date"]] = format_date(self.env, event["date"])
                text = self.env._(
                    "Padrón: %(event)s, with effect from %(date)s.",
                    event=kinds[event["kind_id"]],
                    date=dates[event["date"]],
                )
                if event["description"]:
                    text = f"{text} {event['description']}"
                if event["place"]:
                    text = "{} {}".format(
                        text, self.env._("From / to: %(place)s.", place=event["place"])
                    )
                texts[key] = text
            notes.setdefault(event["partner_id"], []).append(texts[key])
        self.env["res.partner"].sudo().browse(list(notes))._confirma_log_note_lines(
            notes
        )

    @api.model
    def _react(self, events):
        """Hook run after each batch of applied padrón changes (sensors:
        see confirma_tramites). Returns the number of cases it opened."""
        return 0
