enum CachingPlaceholder {}
