ENTRIES = [
    (
        "巡查记录",
        "inspections:list",
        frozenset({"supervisor", "centre_admin", "chief_rep", "window_staff", "auditor"}),
    ),
    ("记录问题", "inspections:new", frozenset({"supervisor", "centre_admin"})),
]
