ENTRIES = [
    ("学习与例会", "study:sessions", frozenset()),
]
