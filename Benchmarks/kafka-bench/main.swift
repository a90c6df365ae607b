print("kafka-bench: not written yet (issue 3)")
