/// Placeholder: the RESP3 client lands here (issue 4).
enum RedisModule {}
