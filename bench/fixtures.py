"""Shared set-up of the benchmarks (not a benchmark group itself)."""


def active_procedure(env, code, condition):
    """An active procedure whose rule is the one ``condition``, with a
    30-day confirmation phase: the town hall's workflow, not a shortcut."""
    rule = env["confirma.rule"].create(
        {"name": f"{code} rule", "condition_ids": [(0, 0, condition)]}
    )
    procedure = env["confirma.procedure"].create(
        {
            "name": f"{code} procedure",
            "code": code,
            "rule_id": rule.id,
            "phase_ids": [
                (0, 0, {"kind": "initiation", "name": "Confirm", "duration_days": 30}),
                (0, 0, {"kind": "resolution", "name": "Decision", "duration_days": 15}),
            ],
        }
    )
    procedure.action_submit()
    procedure.action_approve_protocol()
    procedure.action_activate()
    return procedure
