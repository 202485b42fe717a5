"""One small module per aggregate; each function takes the caller's session and never commits."""
