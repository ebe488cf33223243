"""Domain-free machinery: geography, the publication and its audit, the location solver,
evaluation methods, projection helpers, dataset contracts and file readers. Imports no domain."""
