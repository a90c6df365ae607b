/// Placeholder: the Kafka wire-protocol client lands here (issue 3).
enum KafkaModule {}
