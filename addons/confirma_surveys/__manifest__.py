# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Confirm@ Surveys",
    "summary": "Satisfaction surveys, staff surveys and participation sessions",
    "version": "18.0.1.0.0",
    "category": "Confirm@/Surveys",
    "license": "AGPL-3",
    "author": "Confirm@ contributors",
    "development_status": "Alpha",
    "depends": ["confirma_tramites", "survey"],
    "data": [
        "security/confirma_surveys_security.xml",
        "security/ir.model.access.csv",
        "data/ir_config_parameter_data.xml",
        "views/res_config_settings_views.xml",
        "views/menus.xml",
    ],
    "installable": True,
}
