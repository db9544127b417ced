ENTRIES = [
    ("我的请假", "leave:mine", frozenset({"window_staff", "chief_rep", "centre_admin", "supervisor"})),
    ("请假审批", "leave:approvals", frozenset({"chief_rep", "centre_admin"})),
    ("顶岗到岗", "leave:covers", frozenset({"centre_admin"})),
]
