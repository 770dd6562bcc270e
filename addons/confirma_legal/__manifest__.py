# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Confirm@ Legal Documents",
    "summary": "General register, sealed documents with a secure verification "
    "code (CSV) and their public verification page",
    "version": "18.0.1.0.0",
    "category": "Confirm@/Procedures",
    "license": "AGPL-3",
    "author": "Confirm@ contributors",
    "development_status": "Alpha",
    "depends": ["confirma_interop"],
    "external_dependencies": {"python": ["pyhanko", "pyhanko_certvalidator"]},
    "data": [
        "security/confirma_legal_security.xml",
        "security/ir.model.access.csv",
        "data/mail_template_data.xml",
        "data/queue_job_function_data.xml",
        "data/ir_cron_data.xml",
        "views/confirma_register_entry_views.xml",
        "views/confirma_document_views.xml",
        "views/confirma_case_views.xml",
        "views/confirma_csv_templates.xml",
        "views/confirma_transparency_templates.xml",
        "report/confirma_case_report.xml",
        "report/confirma_resolution_report.xml",
        "report/confirma_certificate_report.xml",
        "views/confirma_resolution_views.xml",
        "views/menus.xml",
    ],
    "demo": ["demo/confirma_legal_demo.xml"],
    "installable": True,
}
