# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from lxml import html
from markupsafe import Markup

from odoo import api, models
from odoo.tools import safe_eval
from odoo.tools.rendering_tools import parse_inline_template


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

    @api.model
    def _render_template_inline_template(
        self, template_txt, model, res_ids, add_context=None, options=None
    ):
        """A campaign's emails (context ``confirma_compile_once``): each
        expression of an inline template (subject, sender, recipients) is
        checked and compiled once, by ``safe_eval``'s own ``test_expr``, and
        evaluated for each record as ``safe_eval`` evaluates it: a copy of
        the values, checked, with the sandbox's builtins. (``safe_eval``
        checks and compiles the expression again at every call: five times
        an email.) Whatever else, and any error, goes Odoo's way."""
        if (
            not self.env.context.get("confirma_compile_once")
            or not template_txt
            or not res_ids
            or not self._has_unsafe_expression_template_inline_template(
                str(template_txt), model
            )
            or not self._confirma_unrestricted_rendering()
        ):
            return super()._render_template_inline_template(
                template_txt, model, res_ids, add_context=add_context, options=options
            )
        try:
            return self._confirma_render_inline(
                template_txt, model, res_ids, add_context=add_context
            )
        except Exception:  # noqa: BLE001 - Odoo's path reports it its way
            return super()._render_template_inline_template(
                template_txt, model, res_ids, add_context=add_context, options=options
            )

    @api.model
    def _confirma_render_inline(self, template_txt, model, res_ids, add_context=None):
        """The inline template ``template_txt`` rendered for each of
        ``res_ids``, its expressions compiled once (see above); raises what
        ``safe_eval`` raises when an expression is refused."""
        instructions = [
            (
                string,
                expression
                and safe_eval.test_expr(
                    expression, safe_eval._SAFE_OPCODES, mode="eval"
                ),
                default,
            )
            for string, expression, default in parse_inline_template(str(template_txt))
        ]
        variables = self._render_eval_context()
        if add_context:
            variables.update(**add_context)
        results = {}
        for record in self.env[model].browse(res_ids):
            parts = []
            for string, code, default in instructions:
                parts.append(string)
                if not code:
                    continue
                values = dict(variables, object=record)
                safe_eval.check_values(values)
                values["__builtins__"] = dict(safe_eval._BUILTINS)
                result = safe_eval.unsafe_eval(code, values) or default
                if result:
                    parts.append(str(result))
            results[record.id] = "".join(parts)
        return results

    def _confirma_unrestricted_rendering(self):
        """Whether the rendering is not restricted (see Odoo's own check)."""
        return (
            self._unrestricted_rendering
            or self.env.is_admin()
            or self.env.user.has_group("mail.group_mail_template_editor")
        )
