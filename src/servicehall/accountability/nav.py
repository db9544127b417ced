ENTRIES = [
    ("通报批评", "accountability:criticisms", frozenset()),
    (
        "离岗培训",
        "accountability:training",
        frozenset({"supervisor", "centre_admin", "chief_rep", "auditor"}),
    ),
]
