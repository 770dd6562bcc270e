# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Confirm@ Network",
    "summary": "Towns that share: procedure packages that travel with their "
    "tests, several municipalities in one installation, good practices and "
    "the municipal action plan",
    "version": "18.0.1.0.0",
    "category": "Confirm@/Procedures",
    "license": "AGPL-3",
    "author": "Confirm@ contributors",
    "development_status": "Alpha",
    "depends": ["confirma_tramites", "confirma_surveys"],
    "external_dependencies": {"python": ["jsonschema", "cryptography"]},
    "data": [
        "security/confirma_network_security.xml",
        "security/ir.model.access.csv",
        "data/confirma_good_practice_category_data.xml",
        "views/confirma_procedure_views.xml",
        "views/confirma_package_views.xml",
        "views/confirma_good_practice_views.xml",
        "views/confirma_plan_views.xml",
        "views/confirma_network_province_views.xml",
        "views/confirma_network_templates.xml",
        "wizards/confirma_package_import_views.xml",
        "wizards/confirma_good_practice_import_views.xml",
        "views/menus.xml",
    ],
    "demo": ["demo/confirma_network_demo.xml"],
    "installable": True,
}
