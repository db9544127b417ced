ENTRIES = [
    ("考核", "assessment:rounds", frozenset()),
]
