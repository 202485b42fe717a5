"""Assessment of a profile: segments, lead hotness and churn scores, reply advice, explanations."""
