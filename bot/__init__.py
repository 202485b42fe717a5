"""Barista's application layer: settings, composition root, services and the CLI."""
