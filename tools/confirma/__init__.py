"""Confirm@ command line: finds Odoo 18 and PostgreSQL, prepares the Python
environment and wraps Odoo with the project's configuration."""
