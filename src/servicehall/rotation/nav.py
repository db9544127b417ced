ENTRIES = [
    ("人员轮换", "rotation:applications", frozenset({"centre_admin", "chief_rep", "supervisor", "auditor"})),
]
