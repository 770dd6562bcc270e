# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from . import test_packages
from . import test_package_security
from . import test_good_practices
from . import test_plan
from . import test_public_pages
from . import test_province
