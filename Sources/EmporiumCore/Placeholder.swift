enum EmporiumCorePlaceholder {}
