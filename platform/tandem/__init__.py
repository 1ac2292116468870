"""Tandem: a multi-tenant platform for growing people at work (the Flask service)."""

from .app import create_app

__all__ = ["create_app"]
