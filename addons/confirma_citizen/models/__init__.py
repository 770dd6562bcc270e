from . import res_company
from . import res_config_settings
from . import confirma_household
from . import confirma_fact_type
from . import confirma_fact
from . import confirma_padron_mapping
from . import confirma_padron_import
from . import res_partner
