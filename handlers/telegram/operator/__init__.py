"""The operator chat (OPERATOR_CHAT_ID): where people take over conversations from the bot.

Messages there never create customers; replies to a customer's card (or in their forum topic)
reach that customer, and /done gives the dialog back to the bot."""
