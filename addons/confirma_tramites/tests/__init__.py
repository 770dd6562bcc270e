from . import test_install
from . import test_rule
from . import test_procedure
from . import test_triggers
from . import test_http
from . import test_indicators
