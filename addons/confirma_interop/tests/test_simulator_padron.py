# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The simulator answers for the people of a padrón file (``--padron``) as
for the synthetic town it was written from, or for some of them only
(``--documents``: a city's checks)."""

import tempfile
from pathlib import Path

from odoo.tests import BaseCase, tagged

from odoo.addons.confirma_citizen.synthetic import population

from ..scsp import simulator


@tagged("post_install", "-at_install")
class TestSimulatorPadron(BaseCase):
    def test_same_people_as_the_synthetic_town(self):
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "padron.csv"
            population.write_csv(path, 120, seed=3)
            synthetic = simulator.Registry.from_synthetic(120, seed=3)
            padron = simulator.Registry.from_padron(path, seed=3)
            self.assertGreater(len(padron), 60)
            self.assertEqual(padron, synthetic)
            some = sorted(padron)[:5]
            chosen = simulator.Registry.from_padron(
                path, seed=3, documents=[d.lower() for d in some] + ["00000000T"]
            )
        self.assertEqual(sorted(chosen), some)
        self.assertEqual({d: chosen[d] for d in some}, {d: padron[d] for d in some})
