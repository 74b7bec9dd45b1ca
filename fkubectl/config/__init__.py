"""Kubeconfig loading, merging, writing, and resolution into a ClientConfig."""
