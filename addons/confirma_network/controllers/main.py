# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The network's public pages, without login: the exchange of good
practices (published ones of every town of the installation, with the
packages of the procedures that prove them) and each town's action plan
(published ones), in the visitor's language (es/ca). Aggregates and
published texts only, never a resident."""

from odoo import http
from odoo.http import request

from odoo.addons.confirma_citizen.models.res_partner import resident_short_lang
from odoo.addons.confirma_tramites.controllers.main import public_lang

from .. import package as packages
from ..models.confirma_plan import mean_progress as _mean

PAGE_HEADERS = {"Cache-Control": "private, no-store"}


def _page(template, values, lang):
    code = public_lang(lang)
    company = values.get("company") or request.env.company.sudo()
    values.update(
        company=company,
        langs=company._confirma_page_langs(),
        page_lang=resident_short_lang(code),
        html_data={"lang": code.replace("_", "-")},
    )
    response = request.render(template, values)
    response.headers.update(PAGE_HEADERS)
    return response


class ConfirmaNetworkPages(http.Controller):
    # ---- good practices -----------------------------------------------------------
    def _published_practices(self):
        # published practices are public by definition: read them as such
        return (
            request.env["confirma.good.practice"]
            .sudo()
            .search([("state", "=", "published")])
        )

    @http.route(
        "/confirma/practices",
        type="http",
        auth="public",
        methods=["GET"],
        website=True,
        sitemap=True,
    )
    def practices(self, lang=None, category=None, country=None, q=None, **kwargs):
        practices = self._published_practices()
        everything = practices
        if category:
            practices = practices.filtered(
                lambda p: category in p.category_ids.mapped("code")
            )
        if country:
            practices = practices.filtered(lambda p: p.country_id.code == country)
        words = (q or "").strip()[:100]
        if words:
            lowered = words.lower()
            practices = practices.filtered(
                lambda p: any(
                    lowered in (p[name] or "").lower()
                    for name in (
                        "name",
                        "description",
                        "objectives",
                        "local_government",
                    )
                )
            )
        return _page(
            "confirma_network.practices_page",
            {
                "practices": practices,
                "categories": everything.category_ids.sorted(
                    lambda c: (c.group, c.sequence)
                ),
                "countries": everything.country_id.sorted("name"),
                "category": category or "",
                "country": country or "",
                "q": words,
            },
            lang,
        )

    @http.route(
        "/confirma/practices/<int:practice_id>",
        type="http",
        auth="public",
        methods=["GET"],
        website=True,
        sitemap=False,
    )
    def practice(self, practice_id, lang=None, **kwargs):
        practice = self._published_practice(practice_id)
        if not practice:
            raise request.not_found()
        shared = practice.procedure_ids.filtered(
            lambda p: p.rule_id and p.test_case_ids
        )
        return _page(
            "confirma_network.practice_page",
            {"practice": practice, "shared": shared},
            lang,
        )

    @http.route(
        "/confirma/practices/<int:practice_id>/package/<int:procedure_id>",
        type="http",
        auth="public",
        methods=["GET"],
        sitemap=False,
    )
    def practice_package(self, practice_id, procedure_id, **kwargs):
        """The package of a procedure that proves a published practice."""
        procedure = self._published_practice(practice_id).procedure_ids.filtered(
            lambda p: p.id == procedure_id and p.rule_id and p.test_case_ids
        )
        if not procedure:
            raise request.not_found()
        package = procedure._package_export(seal=True)
        return self._json_file(
            packages.dumps(package), procedure._package_filename(package)
        )

    @http.route(
        "/confirma/practices/<int:practice_id>/received/<int:attachment_id>",
        type="http",
        auth="public",
        methods=["GET"],
        sitemap=False,
    )
    def practice_received(self, practice_id, attachment_id, **kwargs):
        """A package that came with an imported, published practice."""
        attachment = self._published_practice(
            practice_id
        ).package_attachment_ids.filtered(lambda a: a.id == attachment_id)
        if not attachment:
            raise request.not_found()
        return self._json_file(attachment.raw.decode("utf-8"), attachment.name)

    def _published_practice(self, practice_id):
        """The published practice ``practice_id``, or none."""
        return self._published_practices().filtered(lambda p: p.id == practice_id)

    @staticmethod
    def _json_file(text, filename):
        return request.make_response(
            text.encode("utf-8"),
            headers=[
                ("Content-Type", "application/json; charset=utf-8"),
                ("Content-Disposition", f'attachment; filename="{filename}"'),
                ("X-Content-Type-Options", "nosniff"),
                *PAGE_HEADERS.items(),
            ],
        )

    # ---- the towns compared ------------------------------------------------------
    @http.route(
        "/confirma/network",
        type="http",
        auth="public",
        methods=["GET"],
        website=True,
        sitemap=True,
    )
    def network(self, lang=None, **kwargs):
        """The member towns side by side: aggregates only (the view holds
        counts and rates, never a resident), read as such."""
        towns = (
            request.env["confirma.network.town.stat"]
            .sudo()
            .search([("company_id.confirma_ine_code", "!=", False)])
        )
        return _page(
            "confirma_network.network_page",
            {"towns": towns.sorted(lambda t: t.company_id.name)},
            lang,
        )

    # ---- the municipal action plan ------------------------------------------------
    def _published_plans(self):
        # a published plan is public by definition
        return (
            request.env["confirma.plan"]
            .sudo()
            .search([("published", "=", True)], order="date_start desc, id desc")
        )

    @http.route(
        ["/confirma/plan", "/confirma/plan/<int:plan_id>"],
        type="http",
        auth="public",
        methods=["GET"],
        website=True,
        sitemap=True,
    )
    def plan(self, plan_id=None, lang=None, theme=None, district=None, **kwargs):
        public_lang(lang)  # the step names below in the page's language
        plans = self._published_plans()
        if plan_id:
            plan = plans.filtered(lambda p: p.id == plan_id)
        else:
            # this town's (the site's) current plan, else the first published
            plan = plans.filtered(lambda p: p.company_id == request.env.company)[:1]
            plan = plan or plans[:1]
        if not plan:
            raise request.not_found()
        actions = plan.action_ids
        theme_id = int(theme) if (theme or "").isdigit() else None
        if theme_id:
            actions = actions.filtered(lambda a: theme_id in a.theme_ids.ids)
        district = (district or "").strip()[:10]
        if district:
            actions = actions.filtered(
                lambda a: not a._districts() or district in a._districts()
            )
        Action = request.env["confirma.plan.action"]
        objectives = [
            {
                "objective": objective,
                "progress": _mean(
                    actions & (objective.action_ids | objective.child_ids.action_ids)
                ),
                "specific": [
                    {
                        "objective": child,
                        "actions": actions & child.action_ids,
                        "progress": _mean(actions & child.action_ids),
                    }
                    for child in objective.child_ids
                ],
            }
            for objective in plan.objective_ids
        ]
        areas = [
            {"unit": unit, "count": len(group), "progress": _mean(group)}
            for unit, group in actions.grouped("unit_id").items()
        ]
        districts = sorted(
            {code for action in plan.action_ids for code in action._districts()}
        )
        return _page(
            "confirma_network.plan_page",
            {
                "company": plan.company_id,
                "plan": plan,
                "plans": plans,
                "objectives": objectives,
                "areas": sorted(areas, key=lambda a: a["unit"].name or ""),
                "actions": actions,
                "progress": _mean(actions),
                "themes": plan.action_ids.theme_ids,
                "districts": districts,
                "theme": theme_id,
                "district": district,
                "steps": dict(
                    Action._fields["progress"]._description_selection(Action.env)
                ),
            },
            lang,
        )
