"""Privacy and data rights: consent, the /privacy notice, export, erasure, retention and
redaction. Decisions here are plain functions; the core runs them inside its unit of work."""
