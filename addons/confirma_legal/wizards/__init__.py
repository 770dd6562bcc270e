from . import confirma_document_revoke
from . import confirma_register_correction
from . import confirma_notification_delivery
