# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""SCSP v3 without the ORM: messages, WS-Security, the SOAP client, the
status codes, the test PKI and the local simulator.

Importable on its own (the simulator runs outside Odoo); the models of this
addon use it for the real work.
"""
