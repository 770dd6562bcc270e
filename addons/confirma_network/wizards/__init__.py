# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from . import confirma_package_import
from . import confirma_good_practice_import
