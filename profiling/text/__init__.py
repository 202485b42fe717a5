"""Text analysis: a message's text in, `MessageSignals` out (style, sentiment, intent)."""
