enum RateLimitingPlaceholder {}
