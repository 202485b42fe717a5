"""CSAT in the chat: whether a customer may be asked to rate a dialog (`policy`), what the
settings say (`config`), the rating buttons and their data (`keyboard`), and which customers
this process is waiting on for a "what went wrong?" answer (`follow_ups`). Pure: the core
(`bot.conversation.csat_events`) does the work."""
