# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import io
import re

from markupsafe import Markup

from odoo import models
from odoo.exceptions import UserError

LETTER = "confirma_tramites.report_case_letter"
LETTER_LAYOUT = "confirma_tramites.report_letter_layout"

#: A stylesheet or script of an asset bundle in a report's page, as Odoo's
#: ``t-call-assets`` writes it: its bundle's name and kind.
ASSET = re.compile(
    r'<(?:link|script)\b[^>]*?(?:href|src)="/web/assets/[^"/]+/'
    r'(?P<bundle>[\w.]+?)\.min\.(?P<kind>css|js)"[^>]*?>(?:\s*</script>)?'
)


class IrActionsReport(models.Model):
    _inherit = "ir.actions.report"

    def _render_qweb_pdf(self, report_ref, res_ids=None, data=None):
        """Offer letters printed (a campaign's, or one from the case's Print
        menu) are noted on the cases' and the residents' chatters (not a
        copy rendered again, context ``confirma_letter_copy``)."""
        result = super()._render_qweb_pdf(report_ref, res_ids=res_ids, data=data)
        if (
            res_ids
            and self._get_report(report_ref).report_name == LETTER
            and not self.env.context.get("confirma_letter_copy")
        ):
            self.env["confirma.case"].browse(res_ids)._log_outreach("letter")
        return result

    def _render_qweb_pdf_prepare_streams(self, report_ref, data, res_ids=None):
        """Letters printed together are one PDF as wkhtmltopdf writes it:
        Odoo would split it into a PDF per letter (to keep each as an
        attachment, which letters are not) and then join them again, which
        took longer than rendering them."""
        report = self._get_report(report_ref)
        if report.report_name != LETTER or len(res_ids or ()) < 2 or report.attachment:
            return super()._render_qweb_pdf_prepare_streams(
                report_ref, data, res_ids=res_ids
            )
        if self.get_wkhtmltopdf_state() == "install":
            raise UserError(
                self.env._(
                    "Unable to find Wkhtmltopdf on this system. The PDF can not "
                    "be created."
                )
            )
        data = dict(data or {}, report_type="pdf", debug=False)
        html = self.with_context(debug=False)._render_qweb_html(
            report_ref, res_ids, data=data
        )[0]
        bodies, _ids, header, footer, paperformat_args = report.with_context(
            debug=False
        )._prepare_html(html, report_model=report.model)
        content = self._run_wkhtmltopdf(
            bodies,
            report_ref=report_ref,
            header=header,
            footer=footer,
            landscape=self.env.context.get("landscape"),
            specific_paperformat_args=paperformat_args,
            set_viewport_size=self.env.context.get("set_viewport_size"),
        )
        return {False: {"stream": io.BytesIO(content), "attachment": None}}

    def _get_layout(self):
        """The letters' page carries their own style sheet, not the
        reports' Bootstrap (a third of wkhtmltopdf's time for a campaign's
        thousands of letters: see ``report_letter_layout``)."""
        layout = None
        if self.report_name == LETTER:
            layout = self.env.ref(LETTER_LAYOUT, raise_if_not_found=False)
        return layout or super()._get_layout()

    def _prepare_html(self, html, report_model=False):
        """Confirm@'s reports give wkhtmltopdf their style sheets and scripts
        inline: it then asks the server for nothing that needs the database
        while the server waits for it (a resident's receipt is rendered
        inside their request; several report jobs run side by side)."""
        prepared = super()._prepare_html(html, report_model=report_model)
        if not prepared or not (self.report_name or "").startswith("confirma_"):
            return prepared
        bodies, res_ids, header, footer, paperformat_args = prepared
        *bodies, header, footer = self._confirma_inline_assets(
            [*bodies, header, footer]
        )
        return bodies, res_ids, header, footer, paperformat_args

    def _confirma_inline_assets(self, pages):
        """``pages`` with each asset bundle they link written inline, every
        bundle read once for them all (a part of letters has 500 bodies)."""
        contents = {}

        def content(match):
            bundle, kind = match["bundle"], match["kind"]
            if (bundle, kind) not in contents:
                assets = self.env["ir.qweb"]._get_asset_bundle(
                    bundle, css=kind == "css", js=kind == "js"
                )
                attachments = assets.css() if kind == "css" else assets.js()
                text = "".join(a.raw.decode() for a in attachments)
                if kind == "css":
                    text = text.replace("</style", "<\\/style")
                    contents[bundle, kind] = f"<style>{text}</style>"
                else:
                    text = text.replace("</script", "<\\/script")
                    contents[bundle, kind] = (
                        f"<script type='text/javascript'>{text}</script>"
                    )
            return contents[bundle, kind]

        return [Markup(ASSET.sub(content, str(page))) for page in pages]
