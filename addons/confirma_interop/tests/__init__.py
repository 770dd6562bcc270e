from . import test_install
from . import test_messages
from . import test_verification
from . import test_http
