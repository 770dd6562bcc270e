from . import confirma_padron_import_wizard
