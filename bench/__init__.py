"""Benchmarks of the suite. They print figures; tests never assert timings."""
