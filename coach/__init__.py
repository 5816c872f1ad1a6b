"""Networking coach: a private, offline-first assistant for purposeful networking."""

__version__ = "0.1.0"
