"""Patch computation, as kubectl does it client-side: strategic merge patch (three-way, for `apply`),
JSON merge patch (`label`, `annotate`, and apply for kinds without patch metadata)."""
