"""Talking to the API server: request building, transports, discovery, REST mapping, watch."""
