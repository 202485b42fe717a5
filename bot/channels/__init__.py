"""Outbound channels: the `Sender` protocol, channel-neutral results, and each channel's sender."""
