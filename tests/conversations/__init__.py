"""The conversation suite: scripted multi-turn dialogs in Russian and English, played through
the production Dispatcher, each reply checked for the properties it must have."""
