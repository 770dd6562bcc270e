# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import datetime

from odoo.tests import BaseCase

from ..padron import identity
from ..padron import layout as padron_layout
from ..synthetic import population as synthetic


class TestSynthetic(BaseCase):
    def test_deterministic_and_valid(self):
        reference = datetime.date(2026, 1, 1)
        rows = list(synthetic.generate_rows(3000, seed=5, reference_date=reference))
        again = list(synthetic.generate_rows(3000, seed=5, reference_date=reference))
        self.assertEqual(rows, again)
        self.assertNotEqual(
            rows, list(synthetic.generate_rows(3000, seed=6, reference_date=reference))
        )
        keys, ages, no_email, opposition = set(), [], 0, 0
        for row in rows:
            values = padron_layout.parse_row(row, today=reference)
            keys.add(padron_layout.row_key(values))
            if values["document_number"]:
                self.assertTrue(
                    identity.is_valid(
                        values["document_type"], values["document_number"]
                    )
                )
            ages.append((reference - values["birthdate"]).days // 365)
            no_email += not values["email"]
            opposition += values["data_opposition"]
        self.assertEqual(len(keys), 3000)
        elders = sum(a >= 65 for a in ages) / len(ages)
        minors = sum(a < 18 for a in ages) / len(ages)
        self.assertTrue(0.10 < elders < 0.30, elders)
        self.assertTrue(0.10 < minors < 0.30, minors)
        self.assertTrue(0.2 < no_email / 3000 < 0.6)
        self.assertTrue(0 < opposition < 200)
        households = {r["household_code"] for r in rows}
        self.assertTrue(900 < len(households) < 1600, len(households))
