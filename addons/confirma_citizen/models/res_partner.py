# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging

from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.osv import expression
from odoo.tools import SQL

from ..padron import bulk, identity, ine_codes

_logger = logging.getLogger(__name__)
NAME_PARTS = ("first_name", "surname1", "surname2")
#: the relations to the holder of a household sheet, as the padrón records them
HOUSEHOLD_RELATIONS = [
    ("holder", "Holder"),
    ("partner", "Spouse / partner"),
    ("child", "Child"),
    ("parent", "Parent"),
    ("other", "Other"),
]
#: the resident's preferred language -> the Odoo language written in
RESIDENT_LANGS = {"es": "es_ES", "ca": "ca_ES"}
#: a town's own languages, in order of preference when it has not chosen
TOWN_LANGS = ("es_ES", "ca_ES")


def installed_langs(env):
    """The codes of the languages installed (active)."""
    return {code for code, _name in env["res.lang"].get_installed()}


def resident_short_lang(code):
    """The resident language (es/ca) of an Odoo language code, else None."""
    return next((short for short, full in RESIDENT_LANGS.items() if full == code), None)


#: What snailmail's ``write()`` copies to the letters not sent yet.
SNAILMAIL_ADDRESS = ("street", "street2", "city", "zip", "state_id", "country_id")

# languages already reported missing (once per process, not per resident)
_MISSING_LANGS = set()
AGE_OPERATORS = {
    # age OP n  ->  birthdate OP' (reference - n years [- 1 year + 1 day])
    "=": None,
    "!=": None,
    ">=": ("<=", 0),
    ">": ("<=", 1),
    "<=": (">", 1),
    "<": (">", 0),
}


class DepartureCollector:
    """The residents deregistered by ``_deregister_many``'s writes, gathered
    there so that what follows their departure runs once. It travels in the
    context as an object that no RPC call can forge (JSON has no such
    type): a caller cannot use it to skip what follows a departure."""

    __slots__ = ("ids",)

    def __init__(self):
        self.ids = []


class ResPartner(models.Model):
    _name = "res.partner"
    # mail.thread.phone: sanitized mobile and Odoo's phone blacklist, which
    # every SMS sending respects (as the sms module does for all contacts).
    _inherit = ["res.partner", "mail.thread.phone"]

    # ---- identity -----------------------------------------------------------
    # Not indexed, as data_opposition and padron_encsarp: searched as
    # "= True" (or "= False") where nearly every resident matches, an index
    # is never used, and a city's 3,400,000 residents paid for it at each
    # import and each INE change.
    is_resident = fields.Boolean(
        copy=False,
        help="A person registered in the municipal register (padrón).",
    )
    document_type = fields.Selection(
        [("dni", "DNI"), ("nie", "NIE"), ("passport", "Passport")],
        tracking=True,
    )
    document_number = fields.Char(
        index="btree_not_null",
        copy=False,
        tracking=True,
        help="Without spaces or dashes; DNI and NIE with their check letter.",
    )
    nia = fields.Char(
        string="Padrón NIA",
        index="btree_not_null",
        copy=False,
        help="The town hall's person number in the padrón, never reused.",
    )
    first_name = fields.Char(tracking=True)
    surname1 = fields.Char(string="First surname", tracking=True)
    surname2 = fields.Char(string="Second surname", tracking=True)
    birthdate = fields.Date(string="Birth date", index=True, tracking=True)
    age = fields.Integer(
        compute="_compute_age",
        search="_search_age",
        help="Age in whole years today (searchable: it becomes a birth date range).",
    )
    sex = fields.Selection([("male", "Male"), ("female", "Female")])
    nationality_id = fields.Many2one("res.country", index=True)

    # ---- padrón -------------------------------------------------------------
    padron_registration_date = fields.Date(
        string="Registered since", index=True, tracking=True
    )
    padron_state = fields.Selection(
        [("active", "Registered"), ("deregistered", "Deregistered")],
        string="Padrón status",
        index=True,
        tracking=True,
    )
    padron_deregistration_date = fields.Date(string="Deregistered on", tracking=True)
    padron_deregistration_reason = fields.Selection(
        [
            ("death", "Death"),
            ("moved", "Moved to another municipality"),
            ("abroad", "Moved abroad"),
            ("wrong_inclusion", "Wrong inclusion"),
            ("duplicate", "Duplicate"),
            ("expiry", "Expiry (caducidad)"),
            ("snapshot", "Missing from a full padrón snapshot"),
            ("other", "Other"),
        ],
        string="Deregistration reason",
        tracking=True,
    )
    district_code = fields.Char(string="District", index=True)
    section_code = fields.Char(string="Census section", index=True)
    household_id = fields.Many2one(
        "confirma.household",
        index="btree_not_null",
        ondelete="set null",
        tracking=True,
    )
    household_relation = fields.Selection(
        HOUSEHOLD_RELATIONS, string="Relation in household"
    )
    household_member_ids = fields.One2many(
        related="household_id.member_ids", string="Household members"
    )
    padron_encsarp = fields.Boolean(
        string="Renews every two years (ENCSARP)",
        tracking=True,
        help="A non-EU foreigner without long-term residence: the registration "
        "expires unless renewed every two years (INE's ENCSARP). Set by the "
        "INE variation file for passport holders from outside the EEA, and by "
        "every renewal; clear it when the resident shows a long-term residence.",
    )
    padron_renewal_date = fields.Date(
        string="Last renewal",
        tracking=True,
        help="The last renewal or residence confirmation of the registration.",
    )
    padron_renewal_due = fields.Date(
        string="Renewal due",
        compute="_compute_padron_renewal_due",
        store=True,
        index="btree_not_null",
        help="ENCSARP: two years after the registration or the last renewal; "
        "INE deregisters the resident (caducidad) if it is not renewed by then.",
    )
    education_level = fields.Selection(
        string="Education",
        selection=[
            ("00", "Under 16"),
            ("11", "Cannot read or write"),
            ("21", "No studies"),
            ("22", "Primary, incomplete"),
            ("31", "Secondary (EGB / ESO)"),
            ("32", "Vocational, intermediate (FP1)"),
            ("41", "Vocational, higher (FP2)"),
            ("42", "Baccalaureate"),
            ("43", "Other intermediate"),
            ("44", "University diploma"),
            ("45", "Technical engineer or architect"),
            ("46", "University degree"),
            ("47", "Higher non-university"),
            ("48", "Doctorate or master"),
        ],
        help="Education level as the padrón records it (INE's CNES code).",
    )
    padron_event_ids = fields.One2many(
        "confirma.padron.event", "partner_id", string="Padrón events"
    )
    padron_event_count = fields.Integer(
        string="Padrón event count", compute="_compute_padron_event_count"
    )
    padron_hash = fields.Char(
        copy=False, readonly=True, help="Digest of the last imported padrón row."
    )
    padron_row_hash = fields.Char(
        string="Padrón row as written",
        copy=False,
        readonly=True,
        help="Digest of the last imported padrón row as the file wrote it: the "
        "same row in the next file is known unchanged without being checked.",
    )

    # ---- channels and consent -----------------------------------------------
    preferred_language = fields.Selection(
        [("es", "Spanish"), ("ca", "Catalan / Valencian")], tracking=True
    )
    preferred_channel = fields.Selection(
        [
            ("email", "Email"),
            ("sms", "SMS"),
            ("post", "Post"),
            ("notification", "Electronic notification"),
        ],
        tracking=True,
    )
    email_opt_out = fields.Boolean(
        compute="_compute_email_opt_out",
        inverse="_inverse_email_opt_out",
        search="_search_email_opt_out",
        help="The resident does not want emails: the address is on Odoo's "
        "blacklist, which every mailing respects.",
    )
    sms_opt_out = fields.Boolean(
        string="SMS opt-out",
        compute="_compute_sms_opt_out",
        inverse="_inverse_sms_opt_out",
        search="_search_sms_opt_out",
        help="The resident does not want SMS: the mobile number is on Odoo's "
        "phone blacklist.",
    )
    post_opt_out = fields.Boolean(
        string="No paper letters", tracking=True, help="Only digital channels."
    )
    data_opposition = fields.Boolean(
        string="Opposes data consultation",
        tracking=True,
        help="Ley 39/2015, art. 28.2: the resident objects to the town hall "
        "consulting other administrations' data, so documents must be asked for.",
    )
    data_opposition_date = fields.Date(string="Opposition date", tracking=True)
    data_opposition_source = fields.Selection(
        [
            ("counter", "Counter"),
            ("electronic", "Electronic office"),
            ("letter", "Letter"),
            ("confirmation_page", "Confirmation page"),
            ("import", "Padrón import"),
        ],
        string="Opposition source",
        tracking=True,
    )
    fact_ids = fields.One2many("confirma.fact", "partner_id", string="Facts")
    fact_count = fields.Integer(compute="_compute_fact_count")

    # ---- constraints and indexes --------------------------------------------
    def init(self):
        res = super().init()
        # One resident per document and company, enforced by the database so
        # that concurrent imports cannot duplicate a person.
        self.env.cr.execute(
            """
            CREATE UNIQUE INDEX IF NOT EXISTS res_partner_document_company_uniq
            ON res_partner (COALESCE(company_id, 0), document_number)
            WHERE document_number IS NOT NULL
            """
        )
        self.env.cr.execute(
            """
            CREATE UNIQUE INDEX IF NOT EXISTS res_partner_nia_company_uniq
            ON res_partner (COALESCE(company_id, 0), nia)
            WHERE nia IS NOT NULL
            """
        )
        return res

    @api.constrains("document_type", "document_number")
    def _check_document(self):
        for partner in self.filtered("document_number"):
            if not partner.document_type:
                raise ValidationError(
                    _(
                        "Choose the type of document %(number)s.",
                        number=partner.document_number,
                    )
                )
            number = identity.normalize(partner.document_number)
            if number != partner.document_number or not identity.is_valid(
                partner.document_type, number
            ):
                raise ValidationError(
                    _(
                        "%(number)s is not a valid %(type)s number.",
                        number=partner.document_number,
                        type=dict(
                            self._fields["document_type"]._description_selection(
                                self.env
                            )
                        )[partner.document_type],
                    )
                )
        documented = self.filtered("document_number")
        if documented and not self.env.context.get("confirma_documents_checked"):
            groups = self.sudo()._read_group(
                [("document_number", "in", documented.mapped("document_number"))],
                ["company_id", "document_number"],
                ["__count"],
                having=[("__count", ">", 1)],
            )
            if groups:
                raise ValidationError(
                    _(
                        "Another person of the same municipality already has the "
                        "document %(number)s.",
                        number=groups[0][1],
                    )
                )

    @api.constrains("birthdate", "padron_registration_date")
    def _check_dates(self):
        today = fields.Date.context_today(self)
        for partner in self:
            if partner.birthdate and partner.birthdate > today:
                raise ValidationError(
                    _("The birth date of %(name)s is in the future.", name=partner.name)
                )
            if (
                partner.birthdate
                and partner.padron_registration_date
                and partner.padron_registration_date < partner.birthdate
            ):
                raise ValidationError(
                    _(
                        "%(name)s cannot be registered before being born.",
                        name=partner.name,
                    )
                )

    # ---- computes --------------------------------------------------------------
    @api.model
    def _reference_date(self):
        date = self.env.context.get("confirma_reference_date")
        return fields.Date.to_date(date) if date else fields.Date.context_today(self)

    @api.depends("birthdate")
    @api.depends_context("confirma_reference_date")
    def _compute_age(self):
        today = self._reference_date()
        for partner in self:
            partner.age = (
                relativedelta(today, partner.birthdate).years
                if partner.birthdate
                else 0
            )

    @api.model
    def _confirma_lang_code(self):
        """The installed language to write to this resident in: their
        preferred language, else their contact's, else (not installed) the
        municipality's, never English by default. A missing language is
        logged."""
        self.ensure_one()
        # these two columns only: the public page reads no more of the
        # resident until the second factor is given
        self.fetch(["preferred_language", "lang"])
        code = RESIDENT_LANGS.get(self.preferred_language) or self.lang
        if code in installed_langs(self.env):
            return code
        fallback = self.env.company._confirma_lang()
        if code and code not in _MISSING_LANGS:
            _MISSING_LANGS.add(code)
            _logger.warning(
                "Residents prefer %s, which is not installed: they are written "
                "to in %s. Activate it (Settings > Languages).",
                code,
                fallback,
            )
        return fallback

    @api.model
    def _reachable_domain(self, channel):
        """The residents that ``channel`` can reach: ``email`` (an address
        not blacklisted), ``sms`` (a mobile number not blacklisted),
        ``post`` (an address, no opt-out from letters) or ``digital``
        (email or SMS). One query however many residents: Odoo's blacklist
        search methods run their own queries (the phone one even loads
        every id), sub-selects keep it one."""
        email = [
            ("email_normalized", "!=", False),
            (
                "email_normalized",
                "not in",
                SQL("(SELECT email FROM mail_blacklist WHERE active)"),
            ),
        ]
        sms = [
            ("mobile", "!=", False),
            ("phone_sanitized", "!=", False),
            (
                "phone_sanitized",
                "not in",
                SQL("(SELECT number FROM phone_blacklist WHERE active)"),
            ),
        ]
        if channel == "email":
            return email
        if channel == "sms":
            return sms
        if channel == "post":
            return [("street", "!=", False), ("post_opt_out", "=", False)]
        if channel == "digital":
            return expression.OR([email, sms])
        raise ValueError(f"Unknown channel {channel!r}")

    def _age_domain(self, operator, value, reference=None, field="birthdate"):
        """``age <operator> value`` as a domain on birthdate (index friendly).

        ``field`` names another date to count whole years from (years
        registered: ``padron_registration_date``)."""
        reference = reference or self._reference_date()
        if operator in ("=", "!="):
            # born in (reference - value - 1 years, reference - value years]
            low = reference - relativedelta(years=value + 1)
            high = reference - relativedelta(years=value)
            if operator == "!=":
                return [
                    "|",
                    "|",
                    (field, "=", False),
                    (field, "<=", low),
                    (field, ">", high),
                ]
            return [(field, ">", low), (field, "<=", high)]
        if operator not in AGE_OPERATORS:
            raise UserError(_("Unsupported operator %(op)s on age.", op=operator))
        date_operator, extra = AGE_OPERATORS[operator]
        limit = reference - relativedelta(years=value + extra)
        return [(field, date_operator, limit)]

    def _search_age(self, operator, value):
        return self._age_domain(operator, int(value))

    @api.depends("is_blacklisted")
    def _compute_email_opt_out(self):
        for partner in self:
            partner.email_opt_out = partner.is_blacklisted

    def _inverse_email_opt_out(self):
        blacklist = self.env["mail.blacklist"].sudo()
        for partner in self.filtered("email"):
            if partner.email_opt_out:
                blacklist._add(partner.email, message=_("Opted out in Confirm@"))
            else:
                blacklist._remove(partner.email, message=_("Opted in in Confirm@"))
        self.invalidate_recordset(["is_blacklisted", "email_opt_out"])

    def _search_email_opt_out(self, operator, value):
        return [("is_blacklisted", operator, value)]

    @api.depends("phone_sanitized_blacklisted")
    def _compute_sms_opt_out(self):
        for partner in self:
            partner.sms_opt_out = partner.phone_sanitized_blacklisted

    def _inverse_sms_opt_out(self):
        blacklist = self.env["phone.blacklist"].sudo()
        for partner in self.filtered("phone_sanitized"):
            if partner.sms_opt_out:
                blacklist._add(
                    [partner.phone_sanitized], message=_("Opted out in Confirm@")
                )
            else:
                blacklist._remove(
                    [partner.phone_sanitized], message=_("Opted in in Confirm@")
                )
        self.invalidate_recordset(["phone_sanitized_blacklisted", "sms_opt_out"])

    def _search_sms_opt_out(self, operator, value):
        return [("phone_sanitized_blacklisted", operator, value)]

    @api.depends("padron_encsarp", "padron_renewal_date", "padron_registration_date")
    def _compute_padron_renewal_due(self):
        for partner in self:
            partner.padron_renewal_due = ine_codes.renewal_due(
                partner.padron_encsarp,
                partner.padron_renewal_date,
                partner.padron_registration_date,
            )

    def _compute_padron_event_count(self):
        counts = dict(
            self.env["confirma.padron.event"]._read_group(
                [("partner_id", "in", self.ids)], ["partner_id"], ["__count"]
            )
        )
        for partner in self:
            partner.padron_event_count = counts.get(partner, 0)

    def _compute_fact_count(self):
        counts = dict(
            self.env["confirma.fact"]._read_group(
                [("partner_id", "in", self.ids)], ["partner_id"], ["__count"]
            )
        )
        for partner in self:
            partner.fact_count = counts.get(partner, 0)

    # ---- CRUD -------------------------------------------------------------------
    @api.model
    def _build_resident_name(self, vals):
        parts = [(vals.get(key) or "").strip() for key in NAME_PARTS]
        return " ".join(p for p in parts if p)

    @api.model
    def _check_documents_free(self, pairs, exclude_ids=()):
        """Raise before inserting when a (company, document) pair is taken.

        The unique index is the guarantee; this gives the person a clear
        message instead of a database error. One query per batch.
        """
        numbers = {number for _company, number in pairs if number}
        if not numbers:
            return
        taken = (
            self.sudo()
            .with_context(active_test=False)
            .search_read(
                [
                    ("document_number", "in", list(numbers)),
                    ("id", "not in", list(exclude_ids)),
                ],
                ["company_id", "document_number"],
            )
        )
        taken = {
            (r["company_id"] and r["company_id"][0], r["document_number"])
            for r in taken
        }
        seen = set()
        for pair in pairs:
            if pair[1] and (pair in taken or pair in seen):
                raise ValidationError(
                    _(
                        "Another person of the same municipality already has the "
                        "document %(number)s.",
                        number=pair[1],
                    )
                )
            seen.add(pair)

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("is_resident") and not vals.get("company_id"):
                vals["company_id"] = self.env.company.id
            if "document_number" in vals and vals["document_number"]:
                vals["document_number"] = identity.normalize(vals["document_number"])
            if not vals.get("name") and any(vals.get(key) for key in NAME_PARTS):
                vals["name"] = self._build_resident_name(vals)
        if not self.env.context.get("confirma_documents_checked"):
            self._check_documents_free(
                [
                    (v.get("company_id") or False, v.get("document_number"))
                    for v in vals_list
                ]
            )
        partners = super().create(vals_list)
        partners._confirma_residents_created()
        return partners

    def _confirma_residents_created(self):
        """Hook: these partners were just created, by ``create()`` or by a
        padrón import's set-based path (which runs no ``create()``
        override): what must follow a new resident goes here."""

    def write(self, vals):
        self._check_document_written(vals)
        result = super().write(vals)
        if "name" not in vals and any(key in vals for key in NAME_PARTS):
            for partner, name in self._names_rebuilt():
                super(ResPartner, partner).write({"name": name})
        return result

    def _check_document_written(self, vals):
        """The document number ``vals`` gives these residents, normalized
        (in ``vals``) and refused if another resident of the company has it
        (unless the caller checked the batch already)."""
        if not vals.get("document_number"):
            return
        vals["document_number"] = identity.normalize(vals["document_number"])
        if not self.env.context.get("confirma_documents_checked"):
            company = vals.get("company_id")
            self._check_documents_free(
                [
                    (company or p.company_id.id or False, vals["document_number"])
                    for p in self
                ],
                exclude_ids=self.ids,
            )

    def _names_rebuilt(self):
        """[(resident, name)] for those whose name, rebuilt from its parts
        after a change of them, differs from the one they have."""
        changed = []
        for partner in self:
            name = partner._build_resident_name(
                {key: partner[key] for key in NAME_PARTS}
            )
            if name and name != partner.name:
                changed.append((partner, name))
        return changed

    @api.private
    def _write_many(self, groups):
        """``write()`` for a padrón batch's thousands of residents, each with
        its own changes: ``groups`` is ``[(ids, vals)]``. One pass for them
        all (``bulk.write``) and what the ``write()`` overrides do, done
        set-based by ``_bulk_write``, instead of a ``write()`` per group
        (a batch of INE changes has one per resident: most of its time).

        Goes through ``write()`` when another module overrides it (one this
        method does not know, see ``_bulk_write_covers``), and for the
        residents ``write()`` would sync other contacts or users with (a
        parent, contacts under them, a user), and when tracking is on
        (padrón imports run with ``tracking_disable``)."""
        groups = [(list(ids), vals) for ids, vals in groups if ids and vals]
        if not groups:
            return
        every = list(dict.fromkeys(i for ids, _vals in groups for i in ids))
        if self.env.context.get("tracking_disable") and self._bulk_write_covered():
            linked = set(
                self.sudo()
                .with_context(active_test=False)
                .search(
                    [
                        ("id", "in", every),
                        "|",
                        "|",
                        ("parent_id", "!=", False),
                        ("child_ids", "!=", False),
                        ("user_ids", "!=", False),
                    ]
                )
                .ids
            )
        else:
            linked = set(every)
        if linked:
            for ids, vals in groups:
                mine = [i for i in ids if i in linked]
                if mine:
                    self.browse(mine).with_prefetch(self._prefetch_ids).write(vals)
        groups = [([i for i in ids if i not in linked], vals) for ids, vals in groups]
        groups = [(ids, vals) for ids, vals in groups if ids]
        if groups:
            self.with_prefetch(self._prefetch_ids or every)._bulk_write(groups)

    @api.model
    def _bulk_write_covers(self):
        """The modules whose ``write()`` on res.partner ``_bulk_write`` does
        the work of (a module that overrides ``write()`` extends this and
        ``_bulk_write``, or its residents are written one ``write()`` at a
        time)."""
        return {
            "odoo.models",
            "odoo.addons.base.models.res_partner",
            "odoo.addons.mail.models.mail_thread",
            "odoo.addons.mail.models.mail_activity_mixin",
            "odoo.addons.snailmail.models.res_partner",
            "odoo.addons.confirma_citizen.models.res_partner",
        }

    def _bulk_write_covered(self):
        covers = self._bulk_write_covers()
        return all(
            cls.__dict__["write"].__module__ in covers
            for cls in type(self).__mro__
            if "write" in cls.__dict__
        )

    def _bulk_write(self, groups):
        """What ``write()`` and its overrides do, for ``groups`` (see
        ``_write_many``): documents normalized and checked, names rebuilt
        from their parts, the letters not sent yet readdressed (snailmail),
        then ``bulk.write``. Extended by the modules that extend
        ``write()``."""
        for ids, vals in groups:
            self.browse(ids)._check_document_written(vals)
        self._bulk_readdress_letters(groups)
        bulk.write(self, groups)
        renamed = self.browse(
            i
            for ids, vals in groups
            if "name" not in vals and any(key in vals for key in NAME_PARTS)
            for i in ids
        ).with_prefetch(self._prefetch_ids)
        bulk.write(
            self,
            [
                ([partner.id], {"name": name})
                for partner, name in renamed._names_rebuilt()
            ],
        )

    def _bulk_readdress_letters(self, groups):
        """snailmail's ``write()``, for many residents at once: the letters
        not sent yet take their new address (one search)."""
        if "snailmail.letter" not in self.env:
            return
        moves = [
            (ids, {k: v for k, v in vals.items() if k in SNAILMAIL_ADDRESS})
            for ids, vals in groups
        ]
        moves = [(ids, vals) for ids, vals in moves if vals]
        if not moves:
            return
        letters = self.env["snailmail.letter"].search(
            [
                ("state", "not in", ["sent", "canceled"]),
                ("partner_id", "in", [i for ids, _vals in moves for i in ids]),
            ]
        )
        if not letters:
            return
        for ids, vals in moves:
            letters.filtered(
                lambda letter, ids=set(ids): letter.partner_id.id in ids
            ).write(vals)

    # ---- actions ------------------------------------------------------------------
    def action_view_facts(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "confirma_citizen.confirma_fact_action"
        )
        action["domain"] = [("partner_id", "=", self.id)]
        action["context"] = {"default_partner_id": self.id}
        return action

    def action_view_padron_events(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "confirma_citizen.confirma_padron_event_action"
        )
        action["domain"] = [("partner_id", "=", self.id)]
        action["context"] = {"search_default_partner_id": self.id}
        return action

    def get_formview_id(self, access_uid=None):
        """Residents open in the resident form, wherever they are opened
        from (a case, a household, a many2one link)."""
        if len(self) == 1 and self.is_resident:
            return self.env.ref("confirma_citizen.res_partner_view_form").id
        return super().get_formview_id(access_uid=access_uid)

    def action_open_resident_form(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "res.partner",
            "res_id": self.id,
            "view_mode": "form",
            "views": [
                (self.env.ref("confirma_citizen.res_partner_view_form").id, "form")
            ],
        }

    def action_view_household(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "confirma.household",
            "res_id": self.household_id.id,
            "view_mode": "form",
        }

    def action_deregister(self, reason="other", date=None):
        """Deregister residents from the padrón (set-based: one write)."""
        active = self.filtered(lambda p: p.padron_state == "active")
        active.write(
            {
                "padron_state": "deregistered",
                "padron_deregistration_reason": reason,
                "padron_deregistration_date": date or fields.Date.context_today(self),
            }
        )
        return active

    @api.private
    def _deregister_many(self, groups):
        """Deregister residents, each group with its own reason and date:
        ``groups`` is ``{(reason, date): partner ids}`` (a padrón batch's
        deaths, departures, duplicates…). Written at once (``_write_many``),
        then what follows a departure (``_confirma_residents_left``) once
        for all of them, instead of once per group. Returns the residents
        deregistered (those still active)."""
        every = list(dict.fromkeys(i for ids in groups.values() for i in ids))
        prefetch = self._prefetch_ids or every
        active = set(
            self.browse(every)
            .with_prefetch(prefetch)
            .filtered(lambda p: p.padron_state == "active")
            .ids
        )
        # a resident named twice leaves with the first group, as before
        taken = set()
        writes = []
        for (reason, date), ids in groups.items():
            mine = [i for i in dict.fromkeys(ids) if i in active and i not in taken]
            taken.update(mine)
            vals = {
                "padron_state": "deregistered",
                "padron_deregistration_reason": reason,
                "padron_deregistration_date": date or fields.Date.context_today(self),
            }
            writes.append((mine, vals))
        collector = DepartureCollector()
        writer = self.with_context(confirma_departures=collector)
        writer.with_prefetch(prefetch)._write_many(writes)
        if collector.ids:
            self.browse(collector.ids)._confirma_residents_left()
        return self.browse(i for i in every if i in active)

    def _confirma_residents_left(self):
        """Hook: these residents were just deregistered (death, departure,
        expiry…); what must follow a departure goes here. Called by
        ``write()`` on ``padron_state``, or once for a whole batch by
        ``_deregister_many``."""
