"""The generic registry: per-kind ResourceInfo + Strategy, and the ResourceStore that applies them over storage."""
