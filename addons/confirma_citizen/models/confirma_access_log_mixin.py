# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from contextlib import contextmanager

from odoo import api, models
from odoo.http import request

# transaction-scoped marker (in ``cr.cache``, out of the client's reach, unlike
# the context): the reads made now are part of another one (a logged open, a list)
NESTED_KEY = "confirma_access_log_nested"
# specification keys that do not show the record's data
_NO_DATA = frozenset(("id", "display_name"))


class ConfirmaAccessLogMixin(models.AbstractModel):
    """Records in the access trail (``confirma.access.log``) each time a
    member of staff opens one record of the inheriting model in a form.

    A *form open* is a ``web_read`` on exactly one record, asking for more
    than its name, that is the call itself, not a read nested in another one:

    * from the web client (JSON-RPC ``call_kw``): the request's method is
      ``web_read`` on this model and these ids (the form view loading its
      record, the pager, a form dialog, the reload after a button), or
      ``web_save`` with ``next_id`` (saving, then going to the next record);
    * over the external API (XML-RPC, JSON-RPC ``execute_kw``) or from server
      code: any such ``web_read`` that is not inside another logged one or a
      ``web_search_read`` of these models.

    Not logged: list, kanban and grouped views (``web_search_read``,
    ``web_read_group``), ``read``/``search_read``, display names
    (many2one fields), the x2many lines and many2one values loaded with a
    parent record, and portal users (a resident reading their own data).

    Inheriting models implement :meth:`_access_log_partner`; only records
    concerning a resident are logged.
    """

    _name = "confirma.access.log.mixin"
    _description = "Record access trail mixin"

    def _access_log_partner(self):
        """The resident (``res.partner``) this record concerns, or an empty
        recordset (then opening it is not logged). ``self`` is one record,
        read as superuser."""
        self.ensure_one()
        return self.env["res.partner"]

    def _access_log_kind(self, specification):
        """The channel (``web``, ``rpc``, ``server``) if this ``web_read``
        is a form open to log, else ``None``. Cheap: no query."""
        if (
            len(self) != 1
            or self.env.cr.cache.get(NESTED_KEY)
            or not set(specification or ()) - _NO_DATA
            or self.env.user.share
        ):
            return None
        if not request:
            return "server"
        params = getattr(request, "params", None)
        if not isinstance(params, dict) or "model" not in params:
            # XML-RPC, JSON-RPC execute_kw, a controller: not the web client
            return "rpc"
        # the web client's call_kw: only the call itself, on these ids
        if params["model"] != self._name:
            return None
        method = params.get("method")
        if method == "web_read":
            args = params.get("args") or [None]
            ids = args[0]
        elif method == "web_save":
            ids = (params.get("kwargs") or {}).get("next_id")
        else:
            return None
        if isinstance(ids, int):
            ids = [ids]
        if not isinstance(ids, list) or ids != self.ids:
            return None
        return "web"

    @contextmanager
    def _access_log_nested(self):
        """Mark the reads made inside as part of an outer one."""
        cache = self.env.cr.cache
        outer = cache.get(NESTED_KEY)
        cache[NESTED_KEY] = True
        try:
            yield
        finally:
            if not outer:
                cache.pop(NESTED_KEY, None)

    def web_read(self, specification):
        kind = self._access_log_kind(specification)
        if not kind:
            return super().web_read(specification)
        # the reads nested in this one (x2many lines, many2one values) are
        # part of this open: they are not logged again
        with self._access_log_nested():
            result = super().web_read(specification)
        if result:
            self.env["confirma.access.log"]._log_access(self, kind)
        return result

    # A form open writes the trail: it needs a read/write cursor, not a
    # read-only replica (api.readonly on the base method; the web client's
    # call_kw takes the first ``_readonly`` it finds in the class hierarchy).
    web_read._readonly = False

    @api.model
    def web_search_read(
        self, domain, specification, offset=0, limit=None, order=None, count_limit=None
    ):
        # a list/kanban read (even of one record) is not a record opened
        with self._access_log_nested():
            return super().web_search_read(
                domain,
                specification,
                offset=offset,
                limit=limit,
                order=order,
                count_limit=count_limit,
            )
