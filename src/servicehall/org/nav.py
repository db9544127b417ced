from servicehall.core.roles import Role

ENTRIES = [
    ("窗口公示", "org:board_index", frozenset()),
    ("人员名录", "org:staff_list", frozenset(Role.values)),
    ("窗口状态", "org:windows", frozenset(Role.values)),
]
