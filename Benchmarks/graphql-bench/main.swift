print("graphql-bench: to be written")
