from . import confirma_rule_preview
from . import confirma_counter
from . import confirma_counter_answer
from . import confirma_case_grant_override
