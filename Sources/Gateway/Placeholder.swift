// Placeholder so the package resolves before the Gateway sources land; delete it then.
