enum EmporiumTestingPlaceholder {}
