from . import confirma_rule_preview
from . import confirma_counter
