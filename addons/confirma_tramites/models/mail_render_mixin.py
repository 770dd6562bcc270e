# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from lxml import html
from markupsafe import Markup

from odoo import api, models
from odoo.tools import safe_eval


class MailRenderMixin(models.AbstractModel):
    _inherit = "mail.render.mixin"

    @api.model
    def _render_template_qweb(
        self, template_src, model, res_ids, add_context=None, options=None
    ):
        """A campaign's emails (context ``confirma_compile_once``): the
        template is compiled once for the whole batch, then rendered for each
        record with the values Odoo gives it (Odoo compiles an inline QWeb
        template again for every record: most of the time of sending a
        thousand offers). Whatever else, and any error, goes Odoo's way."""
        if (
            not self.env.context.get("confirma_compile_once")
            or not template_src
            or not res_ids
            or not self._has_unsafe_expression_template_qweb(template_src, model)
        ):
            return super()._render_template_qweb(
                template_src, model, res_ids, add_context=add_context, options=options
            )
        variables = self._render_eval_context()
        if add_context:
            variables.update(**add_context)
        options = dict(options or {})
        if not self._confirma_unrestricted_rendering():
            # as Odoo does: forbidden code raises when compiled
            options["raise_on_forbidden_code_for_model"] = model
        qweb = self.env["ir.qweb"].with_context(**options)
        try:
            functions, name = qweb._compile(
                html.fragment_fromstring(template_src, create_parent="div")
            )
            results = {}
            for record in self.env[model].browse(res_ids):
                values = dict(variables, object=record)
                environment = qweb._prepare_environment(values)
                safe_eval.check_values(values)
                rendered = Markup("".join(functions[name](environment, values)))
                # without the <div> that wraps the template's nodes
                results[record.id] = rendered[5:-6]
        except Exception:  # noqa: BLE001 - Odoo's path reports it its way
            return super()._render_template_qweb(
                template_src, model, res_ids, add_context=add_context, options=options
            )
        return results

    def _confirma_unrestricted_rendering(self):
        """Whether the rendering is not restricted (see Odoo's own check)."""
        return (
            self._unrestricted_rendering
            or self.env.is_admin()
            or self.env.user.has_group("mail.group_mail_template_editor")
        )
