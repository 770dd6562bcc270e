from . import test_install
from . import test_messages
from . import test_verification
from . import test_http
from . import test_access_log
from . import test_protocol
from . import test_security
from . import test_simulator_padron
