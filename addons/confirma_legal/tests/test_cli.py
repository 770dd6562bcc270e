# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import tagged

from ..cli.document import verify_lines
from .common import ConfirmaLegalCommon


@tagged("post_install", "-at_install")
class TestDocumentVerify(ConfirmaLegalCommon):
    """What ``./confirma document verify FILE.pdf`` prints."""

    def test_verify_a_receipt(self):
        self.confirm_at_counter()
        document = self.case._receipt_document()
        pdf = document._pdf()
        lines, valid = verify_lines(self.env, pdf)
        self.assertTrue(valid, lines)
        self.assertEqual(lines[0], "seal: valid")
        self.assertIn("SELLO DE PRUEBAS AJUNTAMENT DE VILADEMO", lines[1])
        self.assertTrue(lines[2].startswith("sealed at: 20"))
        self.assertEqual(lines[3], "timestamp: none")
        self.assertEqual(lines[4], f"csv: {document.csv_display}")
        self.assertEqual(lines[5], f"document: {document.title} (valid)")
        self.assertEqual(lines[6], "original: identical to the stored one")
        self.assertEqual(lines[-1], "valid=yes")
        # revoked: the seal holds, the document does not
        document._revoke("Wrong person")
        lines, valid = verify_lines(self.env, pdf)
        self.assertFalse(valid)
        self.assertIn("(revoked: Wrong person)", lines[5])
        self.assertEqual(lines[-1], "valid=no")

    def test_verify_a_changed_or_foreign_file(self):
        self.confirm_at_counter()
        pdf = self.case._receipt_document()._pdf()
        at = len(pdf) // 3
        tampered = pdf[:at] + bytes([pdf[at] ^ 1]) + pdf[at + 1 :]
        lines, valid = verify_lines(self.env, tampered)
        self.assertFalse(valid)
        self.assertTrue(lines[0].startswith("seal: NOT VALID"), lines)
        lines, valid = verify_lines(self.env, b"%PDF-1.4 nothing sealed")
        self.assertFalse(valid)
        self.assertTrue(lines[0].startswith("seal: none"), lines)
