ENTRIES = [  # type: ignore[var-annotated]  # Optional narrowing left to the domain's owner
    ("考核", "assessment:rounds", frozenset()),
]
