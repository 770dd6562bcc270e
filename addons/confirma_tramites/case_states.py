# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The states of a case and their groups, in one place (the views repeat
the tuples they show: XML cannot import them).

>>> set(OFFERED) <= set(OPEN)
True
>>> sorted(set(BENEFIT) - set(CONFIRMED))
[]
>>> set(FOLDED) <= set(FLOW) and not set(FOLDED) & set(OPEN)
True
>>> [state for state, sources in TRANSITIONS.items() if "expired" in sources]
['confirmed', 'closed']
"""

# the offer waits for the resident's answer
OFFERED = ("proposed", "notified")
# confirmed and not resolved yet
IN_PROGRESS = ("confirmed", "verifying", "instruction")
# the case is alive: offered, or in progress
OPEN = (*OFFERED, *IN_PROGRESS)
# the resident confirmed the offer (whatever happened after)
CONFIRMED = ("confirmed", "verifying", "instruction", "granted", "denied", "closed")
# the resident benefits from the procedure in the case's period (a second
# offer of the same period would be a duplicate)
BENEFIT = ("confirmed", "verifying", "instruction", "granted")
# the order officers see the states in (kanban columns): the flow, then
# the ends
FLOW = (
    "proposed",
    "notified",
    "confirmed",
    "verifying",
    "instruction",
    "granted",
    "denied",
    "declined",
    "expired",
    "closed",
    "cancelled",
)
# kanban columns folded: the case went no further
FOLDED = ("denied", "declined", "expired", "closed", "cancelled")
# state -> phase kind whose duration sets the deadline
PHASE = {
    "proposed": "initiation",
    "notified": "initiation",
    "confirmed": "instruction",
    "verifying": "instruction",
    "instruction": "instruction",
}
# where a manager may grant before the checks are done, giving a reason
GRANT_OVERRIDE = ("confirmed", "verifying")
# state -> the states a case can reach it from
TRANSITIONS = {
    "notified": ("proposed",),
    "confirmed": (*OFFERED, "expired"),
    "declined": OFFERED,
    "expired": OFFERED,
    "verifying": ("confirmed",),
    "instruction": ("confirmed", "verifying"),
    # granted once the requirements are checked (in instruction); earlier
    # only by a manager, with a reason (GRANT_OVERRIDE)
    "granted": ("instruction",),
    "denied": ("instruction", "verifying", "confirmed"),
    "closed": ("granted", "denied", "declined", "expired"),
    "cancelled": OPEN,
}
