from . import test_install
from . import test_surveys
from . import test_http
from . import test_security
