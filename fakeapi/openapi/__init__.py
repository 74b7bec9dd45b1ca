"""Kubernetes 1.37 API schemas: loading and navigation (`schemas`), the /openapi/v3 documents (`v3`) and
unknown-field detection for fieldValidation (`strict`).

The definitions come from the `kubernetes-validate` package and are loaded lazily, on first use, so that
importing this package costs nothing at server start.
"""
