"""Command-line tools: the console shell, batch analysis and the Telegram-export import."""
