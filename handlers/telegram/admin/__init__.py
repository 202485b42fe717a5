"""Admin commands for the user ids in ADMIN_IDS; admins using them are never profiled."""
