from . import test_access
from . import test_household
from . import test_http
from . import test_import
from . import test_resident
from . import test_security
from . import test_settings
from . import test_synthetic
