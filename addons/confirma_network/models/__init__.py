# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from . import confirma_procedure_parameter
from . import confirma_procedure_legal_article
from . import confirma_procedure_test_case
from . import confirma_package
from . import confirma_procedure
from . import res_company
from . import confirma_good_practice_category
from . import confirma_good_practice
from . import confirma_plan_theme
from . import confirma_plan
from . import confirma_network_town_stat
from . import confirma_network_indicator_value
from . import confirma_padron_import
