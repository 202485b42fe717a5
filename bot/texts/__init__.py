"""The bot's own wording in Russian and English, chosen from the customer's language."""
