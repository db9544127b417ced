ENTRIES = [  # type: ignore[var-annotated]  # Optional narrowing left to the domain's owner
    ("学习与例会", "study:sessions", frozenset()),
]
