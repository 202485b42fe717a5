"""The operator chat (OPERATOR_CHAT_ID): where people take over conversations from the bot.

Messages there never create customers. Handoff (a later feature) adds its handlers here."""
