from . import res_config_settings
from . import confirma_interop_platform
from . import confirma_interop_service
from . import confirma_procedure_requirement
from . import confirma_interop_request
from . import confirma_interop_check
from . import confirma_interop_log
from . import confirma_case
