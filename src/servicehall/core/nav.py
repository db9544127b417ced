ENTRIES = [
    ("操作日志", "core:audit", frozenset({"auditor", "supervisor"})),
]
