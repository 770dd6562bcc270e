from . import test_doctests
from . import test_documents
from . import test_register
from . import test_http
from . import test_cli
from . import test_accessibility
from . import test_resolutions
from . import test_timestamp
