# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Confirm@ Residents",
    "summary": "The resident register (padrón) as a 360° citizen CRM",
    "version": "18.0.1.0.0",
    "category": "Confirm@/Residents",
    "license": "AGPL-3",
    "author": "Confirm@ contributors",
    "development_status": "Alpha",
    "depends": ["base_setup", "mail", "contacts", "phone_validation"],
    "external_dependencies": {"python": ["python-stdnum", "openpyxl", "phonenumbers"]},
    "data": [
        "security/confirma_citizen_security.xml",
        "security/ir.model.access.csv",
        "data/ir_cron_data.xml",
        "data/confirma_fact_type_data.xml",
        "views/res_partner_views.xml",
        "views/confirma_household_views.xml",
        "views/confirma_fact_views.xml",
        "views/confirma_padron_import_views.xml",
        "wizards/confirma_padron_import_wizard_views.xml",
        "views/res_config_settings_views.xml",
        "views/menus.xml",
    ],
    "demo": ["demo/res_company_demo.xml", "demo/confirma_padron_demo.xml"],
    "application": True,
    "installable": True,
}
