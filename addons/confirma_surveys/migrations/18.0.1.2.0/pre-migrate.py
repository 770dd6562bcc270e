# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The satisfaction indicators (I11, I12) and their computation moved from
Confirm@ Procedures to this addon: their records (and the town's targets
and measurements) are kept, now owned here."""

NAMES = (
    "indicator_citizen_satisfaction",
    "indicator_staff_satisfaction",
    "selection__confirma_indicator__method__citizen_satisfaction",
    "selection__confirma_indicator__method__staff_satisfaction",
)


def migrate(cr, version):
    cr.execute(
        """
        UPDATE ir_model_data SET module = 'confirma_surveys'
         WHERE module = 'confirma_tramites' AND name IN %s
           AND NOT EXISTS (
               SELECT 1 FROM ir_model_data d
                WHERE d.module = 'confirma_surveys' AND d.name = ir_model_data.name
           )
        """,
        (NAMES,),
    )
