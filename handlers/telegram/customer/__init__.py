"""Handlers for customers in private chats: /start, /help, and the conversation itself."""
