from servicehall.core.roles import Role

ENTRIES = [
    ("文明用语", "language:training", frozenset(Role.values)),
    (
        "话术抽查",
        "language:review",
        frozenset({Role.CENTRE_ADMIN, Role.SUPERVISOR, Role.CHIEF_REP, Role.AUDITOR}),
    ),
]
