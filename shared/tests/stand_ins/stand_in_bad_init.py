import sys

print("bad config: queue Q1 has no skills", file=sys.stderr)
sys.exit(2)
