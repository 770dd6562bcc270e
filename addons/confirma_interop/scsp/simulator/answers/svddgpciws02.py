# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from .base import date_text, de, estado, specific


def answer(person, context, request=None):
    holder = de(
        "DatosTitular",
        None,
        de("Nombre", person.first_name or None),
        de("Apellido1", person.surname1 or None),
        de("Apellido2", person.surname2 or None),
        de("Nacionalidad", person.nationality),
        de("Sexo", person.sex or None),
    )
    if person.birthdate:
        holder.append(
            de(
                "DatosNacimiento",
                None,
                de("Fecha", date_text(person.birthdate, "%Y%m%d")),
            )
        )
    if person.document_expiry:
        holder.append(de("FechaCaducidad", date_text(person.document_expiry, "%Y%m%d")))
    for node in list(holder):
        if node.text is None and not len(node):
            holder.remove(node)
    return specific(de("Retorno", None, estado("00", "INFORMACION CORRECTA"), holder))
