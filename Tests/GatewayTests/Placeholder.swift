// Placeholder so the package resolves before the Gateway tests land; delete it then.
