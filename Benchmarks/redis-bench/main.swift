print("redis-bench: not written yet (issue 4)")
